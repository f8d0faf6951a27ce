# right: the connect handler registered with client.on, under another name
def start_client(url):
    client = Client(reconnection_delay=0.1)

    def rejoin():
        client.emit("join", "lobby")

    client.on("connect", rejoin)
    client.connect(url, transports=["websocket"])
    return client
