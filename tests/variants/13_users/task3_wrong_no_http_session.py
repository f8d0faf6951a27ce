# wrong: a client without the logged-in session carries no cookie, and is refused
# expect: your code raised ConnectionError
def open_inbox(url, http):
    inbox = []
    client = Client()

    @client.on("notice")
    def on_notice(data):
        inbox.append(f"{data['from']}: {data['text']}")

    client.connect(url, transports=["websocket"])
    return client, inbox
