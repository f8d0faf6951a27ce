# wrong: socketio.emit() without namespace= goes to "/" as well: grace, only in "/", gets an alert
# expect: grace received 'alert' but should not have
app, socketio = new_app()

@socketio.on("connect", namespace="/alerts")
def alerts_connect(auth):
    pass

@socketio.on("announce", namespace="/admin")
def announce(text):
    socketio.emit("alert", {"text": text}, namespace="/alerts")
    socketio.emit("alert", {"text": text})
    return "announced"
