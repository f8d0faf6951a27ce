# wrong: the original bug: without namespace= the handler belongs to "/", so a post in /chat is never answered
# expect: alice did not receive 'posted'
app, socketio = new_app()

@socketio.on("connect", namespace="/chat")
def chat_connect(auth):
    pass

@socketio.on("post")
def chat_post(text):
    emit("posted", f"[chat] {text}")
