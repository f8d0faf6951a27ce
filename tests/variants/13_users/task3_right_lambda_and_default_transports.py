# right: a lambda handler, and the default transports (long-polling first, with the session's cookie)
def open_inbox(url, http):
    inbox = []
    client = Client(http_session=http, reconnection=False)
    client.on("notice", lambda notice: inbox.append(notice["from"] + ": " + notice["text"]))
    client.connect(url)
    return client, inbox
