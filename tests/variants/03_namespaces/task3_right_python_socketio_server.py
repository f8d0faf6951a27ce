# right: the python-socketio server under Flask-SocketIO emits the same way
app, socketio = new_app()

@socketio.on("connect", namespace="/alerts")
def alerts_connect(auth):
    pass

def send_alert(text):
    socketio.server.emit("alert", data={"text": text}, namespace="/alerts")
