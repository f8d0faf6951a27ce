# right: Flask's copy_current_request_context lets the task use the emit() function, which answers the asker
from flask import copy_current_request_context

@socketio.event
def start_countdown(n):
    @copy_current_request_context
    def count_down():
        for k in range(n, -1, -1):
            emit("countdown", k)
            socketio.sleep(0.1)
    socketio.start_background_task(count_down)
    return "started"
# ---- next exercise cell ----
def watch_countdown(client, heard, done):
    def on_countdown(k):
        heard.append(k)
        if not k:
            done.set()
    client.on("countdown", on_countdown)
