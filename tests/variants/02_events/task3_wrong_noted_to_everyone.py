# wrong: bug_io.emit without to= sends noted to every client, not just the sender
# expect: bob
bug_app = Flask("fix-it")
bug_app.config["SECRET_KEY"] = secrets.token_hex(16)
bug_io = SocketIO(bug_app, async_mode="threading", cors_allowed_origins=None)

@bug_io.on("ping_me")
def ping():
    return "pong"

@bug_io.on("note")
def note(text):
    bug_io.emit("noted", text)
