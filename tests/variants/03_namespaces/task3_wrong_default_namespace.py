# wrong: the original bug: socketio.emit() without namespace= goes to "/"
# expect: erin did not receive 'alert'
app, socketio = new_app()

@socketio.on("connect", namespace="/alerts")
def alerts_connect(auth):
    pass

def send_alert(text):
    socketio.emit("alert", {"text": text})
