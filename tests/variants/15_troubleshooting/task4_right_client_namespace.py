# right: a class-based ClientNamespace whose on_connect joins lobby
import socketio


class Lobby(socketio.ClientNamespace):
    def on_connect(self):
        self.emit("join", "lobby")


def start_client(url):
    client = Client(reconnection_delay=0.1)
    client.register_namespace(Lobby("/"))
    client.connect(url, transports=["websocket"])
    return client
