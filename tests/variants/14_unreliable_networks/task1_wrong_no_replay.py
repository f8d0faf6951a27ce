# wrong: connect joins the room but replays nothing, so a client that was away never catches up
# expect: the ids replayed to dave
@socketio.on("say")
def say_handler(data):
    history.append({"id": len(history) + 1, "text": data["text"]})
    emit("message", history[-1], to="chat")
    return history[-1]["id"]

@socketio.on("connect")
def on_connect(auth):
    join_room("chat")
