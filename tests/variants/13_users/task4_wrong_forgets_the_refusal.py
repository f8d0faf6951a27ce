# wrong: the room fix is right, but anonymous clients are let into /alerts again
# expect: was let into /alerts
@socketio.on("connect", namespace="/alerts")
def alerts_connect(auth):
    join_room(f"user:{current_user.get_id()}")

@socketio.on("alert", namespace="/alerts")
def alert(data):
    emit("alert", {"from": current_user.id, "text": data["text"]}, to=f"user:{data['to']}")
    return "sent"
