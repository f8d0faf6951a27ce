# wrong: connect replays the whole history, whatever last_id the client sent
# expect: the ids replayed to dave
@socketio.on("say")
def say_handler(data):
    history.append({"id": len(history) + 1, "text": data["text"]})
    emit("message", history[-1], to="chat")
    return history[-1]["id"]

@socketio.on("connect")
def on_connect(auth):
    join_room("chat")
    for item in history:
        emit("message", item)
