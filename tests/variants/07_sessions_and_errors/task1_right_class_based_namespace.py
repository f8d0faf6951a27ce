# right: a class-based Namespace whose on_count uses session
from flask_socketio import Namespace

app, socketio = new_app()

class Counter(Namespace):
    def on_count(self):
        session["n"] = session.get("n", 0) + 1
        return session["n"]

socketio.on_namespace(Counter("/"))
