# wrong: socketio.emit() without to= sends each countdown to every client
# expect: the countdown alice received is not right
@socketio.on("start_countdown")
def start_countdown(n):
    def count_down():
        for k in range(n, -1, -1):
            socketio.emit("countdown", k)
            socketio.sleep(0.1)
    socketio.start_background_task(count_down)
    return "started"
# ---- next exercise cell ----
def watch_countdown(client, heard, done):
    @client.on("countdown")
    def on_countdown(k):
        heard.append(k)
        if k == 0:
            done.set()
