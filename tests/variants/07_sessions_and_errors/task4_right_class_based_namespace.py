# right: a class-based Namespace("/private") whose on_connect gets the auth payload
from flask_socketio import Namespace

app, socketio = new_app()

class Private(Namespace):
    def on_connect(self, auth):
        if (auth or {}).get("token") != "let-me-in":
            raise ConnectionRefusedError("token required")

socketio.on_namespace(Private("/private"))
