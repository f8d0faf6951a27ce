# wrong: room names are case-sensitive: "Lobby" is another room
# expect: not in lobby after start_client() returned
def start_client(url):
    client = Client(reconnection_delay=0.1)

    @client.event
    def connect():
        client.emit("join", "Lobby")

    client.connect(url, transports=["websocket"])
    return client
