# right: socketio.emit() reaches everyone in /alerts from inside the handler, registered with @socketio.event
app, socketio = new_app()

@socketio.on("connect", namespace="/alerts")
def alerts_connect(auth):
    pass

@socketio.event(namespace="/admin")
def announce(text):
    socketio.emit("alert", {"text": text}, namespace="/alerts")
    return "announced"
