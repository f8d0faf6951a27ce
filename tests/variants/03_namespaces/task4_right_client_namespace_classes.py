# right: one socketio.ClientNamespace instance per namespace, each appending to its own list
from socketio import ClientNamespace


class NoticeBoard(ClientNamespace):
    def __init__(self, namespace, inbox):
        super().__init__(namespace)
        self.inbox = inbox

    def on_notice(self, data):
        self.inbox.append(data)


def listen(client, notices):
    for namespace in ("/", "/alerts"):
        client.register_namespace(NoticeBoard(namespace, notices[namespace]))
