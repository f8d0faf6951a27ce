# right: @client.event (the function name is the event) and a named auth function
def watch_alerts(client, url):
    """Make `client` keep every alert it receives, catching up after a reconnection."""
    texts = []
    seen = {"last": 0}

    @client.event
    def alert(data):
        seen["last"] = max(seen["last"], data["id"])
        texts.append(data["text"])

    def current_auth():
        return {"last_id": seen["last"]}

    client.connect(url, transports=["websocket"], auth=current_auth)
    return texts
