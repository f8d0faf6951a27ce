# wrong: without the lock, two connects at the same moment both see None and both start a heartbeat
# expect: the number of heartbeats running
heartbeat_thread = None
heartbeat_lock = threading.Lock()
heartbeat_stop = threading.Event()

@socketio.on("connect")
def on_connect(auth):
    global heartbeat_thread
    if heartbeat_thread is None:
        heartbeat_thread = socketio.start_background_task(heartbeat, heartbeat_stop)
