# right: one catch-all handler ("*" gets the event name first) plus on("connect"), registered without decorators
def listen(client, topic, headlines, finished):
    def subscribe():
        client.emit("subscribe", topic)

    def any_event(event, *args):
        if event == "headline":
            headlines.append(args[0])
        elif event == "done":
            finished.set()

    client.on("connect", subscribe)
    client.on("*", any_event)
