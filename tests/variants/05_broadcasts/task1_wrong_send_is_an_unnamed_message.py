# wrong: send() emits the unnamed event `message`, not `chat`
# expect: did not receive 'chat'
@socketio.on("chat")
def chat(text):
    send(text, broadcast=True)
