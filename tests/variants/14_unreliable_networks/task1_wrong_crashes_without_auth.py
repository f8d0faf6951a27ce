# wrong: auth["last_id"] fails for a client that sent no auth (auth is None): it cannot connect
# expect: carol could not connect
@socketio.on("say")
def say_handler(data):
    history.append({"id": len(history) + 1, "text": data["text"]})
    emit("message", history[-1], to="chat")
    return history[-1]["id"]

@socketio.on("connect")
def on_connect(auth):
    join_room("chat")
    for item in history[auth["last_id"]:]:
        emit("message", item)
