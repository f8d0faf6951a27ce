# wrong: broadcast=True without namespace= stays in /admin, the namespace of the event
# expect: erin did not receive 'alert'
app, socketio = new_app()

@socketio.on("connect", namespace="/alerts")
def alerts_connect(auth):
    pass

@socketio.on("announce", namespace="/admin")
def announce(text):
    emit("alert", {"text": text}, broadcast=True)
    return "announced"
