# wrong: the program as shipped: one sid per user, so only Ada's last tab gets the alert
# expect: the alerts ada 1 received
online = {}

@socketio.on("connect", namespace="/alerts")
def alerts_connect(auth):
    if not current_user.is_authenticated:
        raise ConnectionRefusedError("log in first")
    online[current_user.id] = request.sid

@socketio.on("disconnect", namespace="/alerts")
def alerts_disconnect(reason):
    online.pop(current_user.id, None)

@socketio.on("alert", namespace="/alerts")
def alert(data):
    emit("alert", {"from": current_user.id, "text": data["text"]}, to=online[data["to"]],
         namespace="/alerts")
    return "sent"
