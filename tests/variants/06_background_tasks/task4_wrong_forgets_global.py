# wrong: assigning heartbeat_thread without `global` makes it a local name: UnboundLocalError refuses the connection
# expect: a connection was refused
heartbeat_thread = None
heartbeat_lock = threading.Lock()
heartbeat_stop = threading.Event()

@socketio.on("connect")
def on_connect(auth):
    with heartbeat_lock:
        if heartbeat_thread is None:
            heartbeat_thread = socketio.start_background_task(heartbeat, heartbeat_stop)
