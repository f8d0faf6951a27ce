# wrong: a dict auth is built once, so every reconnection tells the server last_id 0 again
# expect: the first alert the dashboard received after the reconnection is not right
def watch_alerts(client, url):
    """Make `client` keep every alert it receives, catching up after a reconnection."""
    texts = []
    state = {"last_id": 0}

    @client.on("alert")
    def on_alert(alert):
        state["last_id"] = max(state["last_id"], alert["id"])
        texts.append(alert["text"])

    client.connect(url, transports=["websocket"], auth={"last_id": state["last_id"]})
    return texts
