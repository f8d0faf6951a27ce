# wrong: socketio.emit defaults to namespace "/", where Ada's /alerts connections are not
# expect: the alerts ada 1 received
@socketio.on("connect", namespace="/alerts")
def alerts_connect(auth):
    if not current_user.is_authenticated:
        raise ConnectionRefusedError("log in first")
    join_room(f"user:{current_user.id}")

@socketio.on("alert", namespace="/alerts")
def alert(data):
    socketio.emit("alert", {"from": current_user.id, "text": data["text"]}, to=f"user:{data['to']}")
    return "sent"
