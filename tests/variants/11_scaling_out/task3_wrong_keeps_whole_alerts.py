# wrong: the list must hold the alerts' texts, not the alert dicts
# expect: the list watch_alerts returned is not right
def watch_alerts(client, url):
    """Make `client` keep every alert it receives, catching up after a reconnection."""
    texts = []
    last = [0]

    @client.on("alert")
    def on_alert(alert):
        last[0] = max(last[0], alert["id"])
        texts.append(alert)

    client.connect(url, transports=["websocket"], auth=lambda: {"last_id": last[0]})
    return texts
