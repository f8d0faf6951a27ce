# wrong: the client handler rebinds heard instead of appending to the caller's list
# expect: heard list
@socketio.on("start_countdown")
def start_countdown(n):
    def count_down(sid):
        for k in range(n, -1, -1):
            socketio.emit("countdown", k, to=sid)
            socketio.sleep(0.1)
    socketio.start_background_task(count_down, request.sid)
    return "started"
# ---- next exercise cell ----
def watch_countdown(client, heard, done):
    def on_countdown(k):
        heard = [k]
        if k == 0:
            done.set()
    client.on("countdown", on_countdown)
