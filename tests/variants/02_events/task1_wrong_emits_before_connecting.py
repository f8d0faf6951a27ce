# wrong: listen() emits subscribe itself, before the client is connected (python-socketio refuses)
# expect: not connected yet
def listen(client, topic, headlines, finished):
    client.emit("subscribe", topic)

    @client.on("headline")
    def on_headline(text):
        headlines.append(text)

    @client.on("done")
    def on_done(count):
        finished.set()
