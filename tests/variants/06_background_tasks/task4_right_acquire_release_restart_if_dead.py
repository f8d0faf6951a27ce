# right: acquire/release in try/finally, and a dead heartbeat may be restarted
heartbeat_thread = None
heartbeat_lock = threading.Lock()
heartbeat_stop = threading.Event()

@socketio.on("connect")
def on_connect(auth):
    global heartbeat_thread
    heartbeat_lock.acquire()
    try:
        if heartbeat_thread is None or not heartbeat_thread.is_alive():
            heartbeat_thread = socketio.start_background_task(heartbeat, heartbeat_stop)
    finally:
        heartbeat_lock.release()
