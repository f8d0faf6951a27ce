# right: @socketio.event handlers using the python-socketio server's enter_room/leave_room/rooms
app, socketio = new_app()

@socketio.event
def join(message):
    socketio.server.enter_room(request.sid, message["room"], namespace="/")
    return socketio.server.rooms(request.sid, namespace="/")

@socketio.event
def leave(message):
    socketio.server.leave_room(request.sid, message["room"], namespace="/")
    return socketio.server.rooms(request.sid, namespace="/")
