# wrong: broadcast=True answers every client of /chat, not only the sender
# expect: bob received 'posted' but should not have
app, socketio = new_app()

@socketio.on("connect", namespace="/chat")
def chat_connect(auth):
    pass

@socketio.on("post", namespace="/chat")
def chat_post(text):
    emit("posted", f"[chat] {text}", broadcast=True)
