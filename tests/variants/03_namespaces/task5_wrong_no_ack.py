# wrong: the alert goes out, but the admin's event is acknowledged with nothing
# expect: the acknowledgement of announce is not right
app, socketio = new_app()

@socketio.on("connect", namespace="/alerts")
def alerts_connect(auth):
    pass

@socketio.on("announce", namespace="/admin")
def announce(text):
    socketio.emit("alert", {"text": text}, namespace="/alerts")
