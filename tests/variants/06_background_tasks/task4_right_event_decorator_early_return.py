# right: @socketio.event names the handler connect; returning None early still accepts the connection
heartbeat_thread = None
heartbeat_lock = threading.Lock()
heartbeat_stop = threading.Event()

@socketio.event
def connect(auth):
    global heartbeat_thread
    with heartbeat_lock:
        if heartbeat_thread is not None:
            return
        heartbeat_thread = socketio.start_background_task(heartbeat, heartbeat_stop)
