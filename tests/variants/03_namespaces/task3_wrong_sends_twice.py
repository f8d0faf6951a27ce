# wrong: sends the alert twice to /alerts (a retry "to be sure")
# expect: one alert for erin, not two
app, socketio = new_app()

@socketio.on("connect", namespace="/alerts")
def alerts_connect(auth):
    pass

def send_alert(text):
    for attempt in range(2):
        socketio.emit("alert", {"text": text}, namespace="/alerts")
