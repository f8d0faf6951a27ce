# right: @bug_io.event on a function named ping_me, and bug_io.emit(..., to=request.sid)
from flask import request

bug_app = Flask("fix-it")
bug_app.config["SECRET_KEY"] = secrets.token_hex(16)
bug_io = SocketIO(bug_app, async_mode="threading", cors_allowed_origins=None)

@bug_io.event
def ping_me():
    return "pong"

@bug_io.event
def note(text):
    bug_io.emit("noted", text, to=request.sid)
