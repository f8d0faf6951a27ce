# wrong: "join_room" is Flask-SocketIO's function on the server, not an event this server handles
# expect: was not in news after connecting
def watch_news(client, url):
    @client.event
    def connect():
        client.emit("join_room", "news")

    client.connect(url, transports=["websocket"])
