# wrong: in the task, the emit() function has no request context to find the asker in
# expect: Working outside of request context
@socketio.on("start_countdown")
def start_countdown(n):
    def count_down():
        for k in range(n, -1, -1):
            emit("countdown", k)
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
