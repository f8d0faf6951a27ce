# wrong: socketio.emit without to= broadcasts: every client gets everyone's reply
app3, socketio3 = new_app()


@socketio3.on("start")
def start(text):
    def work():
        socketio3.emit("done", text.upper())
    socketio3.start_background_task(work)
