# right: the python-socketio server's room methods, and skip_sid for the mover
app, socketio = new_app()

@socketio.event
def move(message):
    sid, new_room = request.sid, message["room"]
    for room in socketio.server.rooms(sid, namespace="/"):
        if room != sid:
            socketio.server.leave_room(sid, room, namespace="/")
    socketio.server.enter_room(sid, new_room, namespace="/")
    socketio.emit("moved", {"room": new_room}, to=new_room, skip_sid=sid)
