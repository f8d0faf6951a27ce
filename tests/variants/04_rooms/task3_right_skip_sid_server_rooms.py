# right: membership from socketio.server.rooms(), the sender skipped with skip_sid
app, socketio = new_app()

@socketio.event
def room_post(message):
    room, text = message["room"], message["text"]
    if room in socketio.server.rooms(request.sid, namespace="/"):
        socketio.emit("room_message", {"room": room, "text": text}, to=room, skip_sid=request.sid)
        return {"ok": True}
    return {"error": "not a member of " + room}
