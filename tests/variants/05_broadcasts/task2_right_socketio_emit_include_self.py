# right: inside a handler, socketio.emit(include_self=False) turns into skip_sid=request.sid
@socketio.on("typing")
def typing(who):
    socketio.emit("typing", who, include_self=False)
