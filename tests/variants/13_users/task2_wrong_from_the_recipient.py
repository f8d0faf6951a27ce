# wrong: "from" names the recipient instead of the sender
# expect: the notices ada 1 received
@socketio.on("notify")
def notify(data):
    emit("notice", {"from": data["to"], "text": data["text"]}, to=f"user:{data['to']}")
    return "sent"
