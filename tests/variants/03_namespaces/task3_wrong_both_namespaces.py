# wrong: sends to /alerts and also to "/", so grace (only in "/") gets it
# expect: grace received 'alert' but should not have
app, socketio = new_app()

@socketio.on("connect", namespace="/alerts")
def alerts_connect(auth):
    pass

def send_alert(text):
    for namespace in ("/alerts", "/"):
        socketio.emit("alert", {"text": text}, namespace=namespace)
