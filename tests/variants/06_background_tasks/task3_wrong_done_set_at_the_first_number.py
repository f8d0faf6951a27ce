# wrong: done is set as soon as anything arrives, not when the countdown reaches 0
# expect: done was set before the countdown reached 0
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
    @client.on("countdown")
    def on_countdown(k):
        heard.append(k)
        done.set()
