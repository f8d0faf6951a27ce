# wrong: a retry is stored and sent again, with a new id
# expect: the ack of the retry
@socketio.on("say")
def say_handler(data):
    history.append({"id": len(history) + 1, "text": data["text"]})
    emit("message", history[-1], to="chat")
    return history[-1]["id"]
