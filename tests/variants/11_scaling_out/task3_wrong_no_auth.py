# wrong: without auth the server sends the whole backlog again on every reconnection
# expect: the first alert the dashboard received after the reconnection is not right
def watch_alerts(client, url):
    """Make `client` keep every alert it receives, catching up after a reconnection."""
    texts = []

    @client.on("alert")
    def on_alert(alert):
        texts.append(alert["text"])

    client.connect(url, transports=["websocket"])
    return texts
