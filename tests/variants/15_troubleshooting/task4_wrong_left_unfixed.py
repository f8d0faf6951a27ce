# wrong: the shipped client: it joins once, after the first connection only
# expect: not in lobby after reconnecting
def start_client(url):
    client = Client(reconnection_delay=0.1)
    client.connect(url, transports=["websocket"])
    client.call("join", "lobby")
    return client
