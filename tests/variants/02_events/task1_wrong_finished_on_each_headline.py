# wrong: finished is set by the headline handler, so a waiter wakes before the last story is in
# expect: before done arrived
def listen(client, topic, headlines, finished):
    @client.event
    def connect():
        client.emit("subscribe", topic)

    @client.on("headline")
    def on_headline(text):
        headlines.append(text)
        finished.set()
