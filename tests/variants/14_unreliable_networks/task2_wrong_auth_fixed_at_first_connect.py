# wrong: auth is a dict made once, so every reconnection asks for everything from the start again
# expect: asked for too much
def join_chat(client, url):
    applied = []

    @client.on("message")
    def on_message(item):
        if item["id"] > (applied[-1]["id"] if applied else 0):
            applied.append(item)

    client.connect(url, transports=["websocket"],
                   auth={"last_id": applied[-1]["id"] if applied else 0})
    return applied
