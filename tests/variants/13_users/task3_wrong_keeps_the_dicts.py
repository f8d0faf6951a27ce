# wrong: the inbox holds the notices' data, not "<from>: <text>" lines
# expect: the inbox of ada 1
def open_inbox(url, http):
    inbox = []
    client = Client(http_session=http)
    client.on("notice", inbox.append)
    client.connect(url, transports=["websocket"])
    return client, inbox
