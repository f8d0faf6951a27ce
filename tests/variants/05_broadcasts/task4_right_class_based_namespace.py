# right: a class-based Namespace; its emit() broadcasts unless given room=, include_self works the same
from flask_socketio import Namespace

class Newsroom(Namespace):
    def on_headline(self, text):
        self.emit("headline", text, include_self=False)

socketio.on_namespace(Newsroom("/"))
socketio.server.handlers.get("/", {}).pop("headline", None)  # a decorated handler would win
