# wrong: emit() without to= answers the sender only: bob hears nothing
# expect: the messages bob received
@socketio.on("say")
def say_handler(data):
    history.append({"id": len(history) + 1, "text": data["text"]})
    emit("message", history[-1])
    return history[-1]["id"]

@socketio.on("connect")
def on_connect(auth):
    join_room("chat")
    last = (auth or {}).get("last_id", 0)
    for item in history[last:]:
        emit("message", item)
