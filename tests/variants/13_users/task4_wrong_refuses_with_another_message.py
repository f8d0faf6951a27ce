# wrong: the room fix is right, but anonymous clients are refused with the wrong message
# expect: the connect_error data in /alerts
@socketio.on("connect", namespace="/alerts")
def alerts_connect(auth):
    if not current_user.is_authenticated:
        raise ConnectionRefusedError("go away")
    join_room(f"user:{current_user.id}")

@socketio.on("alert", namespace="/alerts")
def alert(data):
    emit("alert", {"from": current_user.id, "text": data["text"]}, to=f"user:{data['to']}")
    return "sent"
