# wrong: the broken handler as given: emit() in the task has no request context
# expect: dave did not receive 'echo'
app, socketio = new_app()

@socketio.on("slow_echo")
def slow_echo(text):
    def reply():
        emit("echo", {"text": text, "user": session.get("user", "anonymous")})
    socketio.start_background_task(reply)
