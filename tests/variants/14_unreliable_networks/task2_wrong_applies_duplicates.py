# wrong: every message is applied, so one that arrives twice is applied twice
# expect: the ids alice applied
def join_chat(client, url):
    applied = []
    client.on("message", applied.append)
    client.connect(url, transports=["websocket"],
                   auth=lambda: {"last_id": applied[-1]["id"] if applied else 0})
    return applied
