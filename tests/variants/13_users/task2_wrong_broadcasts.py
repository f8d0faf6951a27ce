# wrong: a broadcast reaches everybody, Alan's own devices included
# expect: the notices alan 1 received
@socketio.on("notify")
def notify(data):
    emit("notice", {"from": current_user.id, "text": data["text"]}, broadcast=True)
    return "sent"
