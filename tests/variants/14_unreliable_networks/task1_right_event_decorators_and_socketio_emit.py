# right: @socketio.event, socketio.emit(to=...) and a filter on ids instead of a slice
@socketio.event
def say(data):
    item = {"id": len(history) + 1, "text": data["text"]}
    history.append(item)
    socketio.emit("message", item, to="chat")
    return item["id"]

@socketio.event
def connect(auth=None):
    join_room("chat")
    last = auth.get("last_id", 0) if isinstance(auth, dict) else 0
    for item in history:
        if item["id"] > last:
            socketio.emit("message", item, to=request.sid)
