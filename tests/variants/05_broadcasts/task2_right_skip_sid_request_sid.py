# right: socketio.emit() with skip_sid=request.sid names the sender explicitly
@socketio.event
def typing(who):
    socketio.emit("typing", who, skip_sid=request.sid)
