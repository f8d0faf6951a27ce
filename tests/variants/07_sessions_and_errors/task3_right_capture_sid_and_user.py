# right: read the sid and the user on the handler's thread, then socketio.emit(..., to=sid)
app, socketio = new_app()

@socketio.on("slow_echo")
def slow_echo(text):
    sid, user = request.sid, session.get("user", "anonymous")

    def reply():
        socketio.emit("echo", {"text": text, "user": user}, to=sid)

    socketio.start_background_task(reply)
