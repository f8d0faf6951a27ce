# right: a set of sids per user, kept up to date on disconnect, also reaches every tab
online = {}

@socketio.on("connect", namespace="/alerts")
def alerts_connect(auth):
    if not current_user.is_authenticated:
        raise ConnectionRefusedError("log in first")
    online.setdefault(current_user.id, set()).add(request.sid)

@socketio.on("disconnect", namespace="/alerts")
def alerts_disconnect(reason):
    online.get(current_user.id, set()).discard(request.sid)

@socketio.on("alert", namespace="/alerts")
def alert(data):
    for sid in list(online.get(data["to"], ())):
        emit("alert", {"from": current_user.id, "text": data["text"]}, to=sid)
    return "sent"
