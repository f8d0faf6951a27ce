# wrong: with namespace= but no to=, emit() still reads request.sid, which the task does not have
# expect: request context
app3, socketio3 = new_app()


@socketio3.on("start")
def start(text):
    def work():
        emit("done", text.upper(), namespace="/")
    socketio3.start_background_task(work)
