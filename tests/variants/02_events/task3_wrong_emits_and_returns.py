# wrong: returns the ack but still emits a pong event as well
# expect: the list of events alice received
bug_app = Flask("fix-it")
bug_app.config["SECRET_KEY"] = secrets.token_hex(16)
bug_io = SocketIO(bug_app, async_mode="threading", cors_allowed_origins=None)

@bug_io.on("ping_me")
def ping():
    emit("pong")
    return "pong"

@bug_io.on("note")
def note(text):
    emit("noted", text)
