# right: a lock, a set of the ids seen, and bisect.insort, which keeps applied in id order whatever order the handlers run in
import bisect
import threading


def join_chat(client, url):
    applied, seen, lock = [], set(), threading.Lock()

    def on_message(item):
        with lock:
            if item["id"] not in seen:
                seen.add(item["id"])
                bisect.insort(applied, item, key=lambda m: m["id"])

    client.on("message", on_message)
    client.connect(url, transports=["websocket"], auth=lambda: {"last_id": max(seen, default=0)})
    return applied
