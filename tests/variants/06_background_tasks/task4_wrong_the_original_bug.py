# wrong: the program as given: one heartbeat per connect
# expect: the number of heartbeats running
heartbeat_thread = None
heartbeat_lock = threading.Lock()
heartbeat_stop = threading.Event()

@socketio.on("connect")
def on_connect(auth):
    socketio.start_background_task(heartbeat, heartbeat_stop)
