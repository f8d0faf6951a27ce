# wrong: reaches the sender, but always says "anonymous" instead of reading its session
# expect: the echo data dave received
app, socketio = new_app()

@socketio.on("slow_echo")
def slow_echo(text):
    sid = request.sid

    def reply():
        socketio.emit("echo", {"text": text, "user": "anonymous"}, to=sid)

    socketio.start_background_task(reply)
