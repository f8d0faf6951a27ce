# wrong: the check happens outside the lock, so both racers pass it before either starts
# expect: the number of heartbeats running
heartbeat_thread = None
heartbeat_lock = threading.Lock()
heartbeat_stop = threading.Event()

@socketio.on("connect")
def on_connect(auth):
    global heartbeat_thread
    if heartbeat_thread is None:
        with heartbeat_lock:
            heartbeat_thread = socketio.start_background_task(heartbeat, heartbeat_stop)
