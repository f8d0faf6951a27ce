# right: a class-based socketio.ClientNamespace whose on_alert keeps the state on itself
import socketio as _socketio


class AlertWatcher(_socketio.ClientNamespace):
    def __init__(self):
        super().__init__("/")
        self.texts, self.last_id = [], 0

    def on_alert(self, alert):
        self.last_id = max(self.last_id, alert["id"])
        self.texts.append(alert["text"])


def watch_alerts(client, url):
    """Make `client` keep every alert it receives, catching up after a reconnection."""
    watcher = AlertWatcher()
    client.register_namespace(watcher)
    client.connect(url, transports=["websocket"], auth=lambda: {"last_id": watcher.last_id})
    return watcher.texts
