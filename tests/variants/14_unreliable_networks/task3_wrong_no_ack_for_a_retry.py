# wrong: the retry is dropped but answered with nothing, so the sender never learns its id
# expect: the ack of the retry
ids_by_key = {}   # the sender's key -> the message's id

@socketio.on("say")
def say_handler(data):
    if data["key"] in ids_by_key:
        return None
    history.append({"id": len(history) + 1, "text": data["text"]})
    ids_by_key[data["key"]] = history[-1]["id"]
    emit("message", history[-1], to="chat")
    return history[-1]["id"]
