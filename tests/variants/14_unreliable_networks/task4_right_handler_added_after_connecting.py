# right: a join now, and a connect handler (registered in time for the reconnections) for later
def watch_news(client, url):
    client.connect(url, transports=["websocket"])
    client.call("join", "news")
    client.on("connect", lambda: client.emit("join", "news", callback=lambda answer: None))
