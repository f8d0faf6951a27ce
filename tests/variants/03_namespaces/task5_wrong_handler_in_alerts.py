# wrong: the handler is registered in /alerts, so /admin is not even served
# expect: admin could not connect
app, socketio = new_app()

@socketio.on("connect", namespace="/alerts")
def alerts_connect(auth):
    pass

@socketio.on("announce", namespace="/alerts")
def announce(text):
    emit("alert", {"text": text}, broadcast=True)
    return "announced"
