# wrong: the context-aware emit() needs a handler's request context; send_alert runs outside any handler
# expect: send_alert raised an exception
app, socketio = new_app()

@socketio.on("connect", namespace="/alerts")
def alerts_connect(auth):
    pass

def send_alert(text):
    emit("alert", {"text": text}, namespace="/alerts")
