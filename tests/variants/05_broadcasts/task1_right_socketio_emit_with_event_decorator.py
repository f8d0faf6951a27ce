# right: socketio.emit() without to= reaches everyone in "/", the sender included
@socketio.event
def chat(text):
    socketio.emit("chat", text)
