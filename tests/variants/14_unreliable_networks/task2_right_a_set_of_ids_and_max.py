# right: a set of the ids seen, and the highest one in auth, recomputed on each connection
def join_chat(client, url):
    applied, seen = [], set()

    def on_message(item):
        if item["id"] not in seen and item["id"] > max(seen, default=0):
            seen.add(item["id"])
            applied.append(item)

    client.on("message", on_message)
    client.connect(url, transports=["websocket"], auth=lambda: {"last_id": max(seen, default=0)})
    return applied
