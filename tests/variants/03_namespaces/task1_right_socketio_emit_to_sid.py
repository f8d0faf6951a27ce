# right: socketio.emit() addressed to the sender's sid in /chat, from a handler registered with @socketio.event
app, socketio = new_app()

@socketio.on("connect", namespace="/chat")
def chat_connect(auth):
    pass

@socketio.event(namespace="/chat")
def post(text):
    socketio.emit("posted", "[chat] " + text, to=request.sid, namespace="/chat")
