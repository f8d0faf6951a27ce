# right: @client.event everywhere, the function names being the event names
def listen(client, topic, headlines, finished):
    @client.event
    def connect():
        client.emit("subscribe", topic)

    @client.event
    def headline(text):
        headlines.append(text)

    @client.event
    def done(count):
        finished.set()
