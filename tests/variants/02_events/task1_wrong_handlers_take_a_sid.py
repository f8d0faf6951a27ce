# wrong: client handlers written like server ones, with a sid first: python-socketio passes none
# expect: finished was never set
def listen(client, topic, headlines, finished):
    @client.event
    def connect():
        client.emit("subscribe", topic)

    @client.on("headline")
    def on_headline(sid, text):
        headlines.append(text)

    @client.on("done")
    def on_done(sid, count):
        finished.set()
