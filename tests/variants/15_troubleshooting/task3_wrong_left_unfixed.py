# wrong: the shipped handler: emit() in a task has no request context
# expect: request context
app3, socketio3 = new_app()


@socketio3.on("start")
def start(text):
    def work():
        emit("done", text.upper())
    socketio3.start_background_task(work)
