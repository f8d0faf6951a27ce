# wrong: an echo plus a broadcast gives the sender two copies
# expect: a single copy of chat at alice
@socketio.on("chat")
def chat(text):
    emit("chat", text)
    emit("chat", text, broadcast=True)
