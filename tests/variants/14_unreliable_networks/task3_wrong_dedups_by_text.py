# wrong: deduplicating by text drops bob's new message that happens to say "hi" too
# expect: the ack of bob's 'hi'
@socketio.on("say")
def say_handler(data):
    for item in history:
        if item["text"] == data["text"]:
            return item["id"]
    history.append({"id": len(history) + 1, "text": data["text"]})
    emit("message", history[-1], to="chat")
    return history[-1]["id"]
