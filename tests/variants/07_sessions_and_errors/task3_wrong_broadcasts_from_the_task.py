# wrong: socketio.emit() without to= in a task sends the echo to every client
# expect: erin received 'echo' but should not have
app, socketio = new_app()

@socketio.on("slow_echo")
def slow_echo(text):
    user = session.get("user", "anonymous")

    def reply():
        socketio.emit("echo", {"text": text, "user": user})

    socketio.start_background_task(reply)
