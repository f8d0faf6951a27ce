# wrong: emit(..., namespace="/alerts") alone is addressed to the admin's sid, which is nobody in /alerts
# expect: erin did not receive 'alert'
app, socketio = new_app()

@socketio.on("connect", namespace="/alerts")
def alerts_connect(auth):
    pass

@socketio.on("announce", namespace="/admin")
def announce(text):
    emit("alert", {"text": text}, namespace="/alerts")
    return "announced"
