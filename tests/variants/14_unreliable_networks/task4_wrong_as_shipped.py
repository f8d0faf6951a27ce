# wrong: the program as shipped: it joins once, and a reconnection is in no room
# expect: was not in news after the server restarted
def watch_news(client, url):
    client.connect(url, transports=["websocket"])
    client.call("join", "news")
