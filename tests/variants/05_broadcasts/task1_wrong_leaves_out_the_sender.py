# wrong: include_self=False leaves out the sender, whose window should show the message too
# expect: alice did not receive 'chat'
@socketio.on("chat")
def chat(text):
    emit("chat", text, broadcast=True, include_self=False)
