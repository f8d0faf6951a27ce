# wrong: dropping repeats on the client hides them from the list, but the server still resends the backlog
# expect: the first alert the dashboard received after the reconnection is not right
def watch_alerts(client, url):
    """Make `client` keep every alert it receives, catching up after a reconnection."""
    texts = []
    seen = set()

    @client.on("alert")
    def on_alert(alert):
        if alert["id"] not in seen:
            seen.add(alert["id"])
            texts.append(alert["text"])

    client.connect(url, transports=["websocket"], auth={"last_id": 0})
    return texts
