# wrong: skipping texts already seen loses a different message with the same text, and reorders nothing
# expect: the ids alice applied
def join_chat(client, url):
    applied = []

    @client.on("message")
    def on_message(item):
        if all(m["text"] != item["text"] for m in applied):
            applied.append(item)

    client.connect(url, transports=["websocket"],
                   auth=lambda: {"last_id": applied[-1]["id"] if applied else 0})
    return applied
