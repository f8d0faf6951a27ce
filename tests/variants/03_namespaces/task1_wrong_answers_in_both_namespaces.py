# wrong: also registers the handler in "/", so a post in "/" is answered too
# expect: alice received 'posted' but should not have
app, socketio = new_app()

@socketio.on("connect", namespace="/chat")
def chat_connect(auth):
    pass

def chat_post(text):
    emit("posted", f"[chat] {text}")

socketio.on_event("post", chat_post, namespace="/chat")
socketio.on_event("post", chat_post)
