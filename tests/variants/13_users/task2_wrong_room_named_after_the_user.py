# wrong: the room is "ada", but task 1 put her connections in "user:ada": nobody gets it
# expect: the notices ada 1 received
@socketio.on("notify")
def notify(data):
    emit("notice", {"from": current_user.id, "text": data["text"]}, to=data["to"])
    return "sent"
