# wrong: the reply reaches the right client, but the text is not in capitals
# expect: the done that ada received
app3, socketio3 = new_app()


@socketio3.on("start")
def start(text):
    sid = request.sid

    def work():
        socketio3.emit("done", text, to=sid)
    socketio3.start_background_task(work)
