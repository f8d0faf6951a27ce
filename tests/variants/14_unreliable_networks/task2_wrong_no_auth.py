# wrong: no auth: the server replays the whole history on every reconnection
# expect: asked for too much
def join_chat(client, url):
    applied = []

    @client.on("message")
    def on_message(item):
        if not applied or item["id"] > applied[-1]["id"]:
            applied.append(item)

    client.connect(url, transports=["websocket"])
    return applied
