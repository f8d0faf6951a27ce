# wrong: no refusal at all: joining user:<id> raises AttributeError for an anonymous user
# expect: did not receive 'connect_error'
@socketio.on("connect", namespace="/alerts")
def alerts_connect(auth):
    join_room(f"user:{current_user.id}")

@socketio.on("alert", namespace="/alerts")
def alert(data):
    emit("alert", {"from": current_user.id, "text": data["text"]}, to=f"user:{data['to']}")
    return "sent"
