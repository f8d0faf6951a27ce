# wrong: emit() without broadcast=True answers only the sender
# expect: bob did not receive 'chat'
@socketio.on("chat")
def chat(text):
    emit("chat", text)
