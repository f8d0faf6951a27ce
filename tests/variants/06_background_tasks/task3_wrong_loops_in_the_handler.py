# wrong: the handler counts down itself, so its ack ("started") comes only at the end
@socketio.on("start_countdown")
def start_countdown(n):
    for k in range(n, -1, -1):
        emit("countdown", k)
        socketio.sleep(0.1)
    return "started"
# ---- next exercise cell ----
def watch_countdown(client, heard, done):
    @client.on("countdown")
    def on_countdown(k):
        heard.append(k)
        if k == 0:
            done.set()
