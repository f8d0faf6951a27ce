# right: a class-based Namespace; Namespace.emit without room= reaches every client of "/"
from flask_socketio import Namespace

guest_app = Flask("guestbook")
guest_app.config["SECRET_KEY"] = secrets.token_hex(16)
guest_io = SocketIO(guest_app, async_mode="threading", cors_allowed_origins=None)


class Guestbook(Namespace):
    def __init__(self, namespace):
        super().__init__(namespace)
        self.names = []

    def on_connect(self, auth):
        emit("welcome", {"signatures": len(self.names)})

    def on_sign(self, name):
        self.names.append(name)
        self.emit("signed", name)
        return len(self.names)


guest_io.on_namespace(Guestbook("/"))
