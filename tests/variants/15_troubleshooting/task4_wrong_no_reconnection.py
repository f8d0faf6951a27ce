# wrong: rejoins in connect, but with reconnection off the client never comes back
# expect: did not reconnect
def start_client(url):
    client = Client(reconnection=False)

    @client.event
    def connect():
        client.emit("join", "lobby")

    client.connect(url, transports=["websocket"])
    return client
