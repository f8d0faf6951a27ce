# wrong: a client on long-polling only; the task asks for a connection over WebSocket
# expect: did not connect the client over WebSocket
def watch_alerts(client, url):
    """Make `client` keep every alert it receives, catching up after a reconnection."""
    texts = []
    last = [0]

    @client.on("alert")
    def on_alert(alert):
        last[0] = max(last[0], alert["id"])
        texts.append(alert["text"])

    client.connect(url, transports=["polling"], auth=lambda: {"last_id": last[0]})
    return texts
