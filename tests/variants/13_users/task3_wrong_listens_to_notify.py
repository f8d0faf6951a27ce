# wrong: the handler listens to "notify" (what the sender emits), not "notice" (what arrives)
# expect: the inbox of ada 1
def open_inbox(url, http):
    inbox = []
    client = Client(http_session=http)

    @client.on("notify")
    def on_notify(data):
        inbox.append(f"{data['from']}: {data['text']}")

    client.connect(url, transports=["websocket"])
    return client, inbox
