# wrong: returns the ack now, but @bug_io.event still registers the event "ping", not "ping_me"
# expect: no acknowledgement for 'ping_me'
bug_app = Flask("fix-it")
bug_app.config["SECRET_KEY"] = secrets.token_hex(16)
bug_io = SocketIO(bug_app, async_mode="threading", cors_allowed_origins=None)

@bug_io.event
def ping():
    return "pong"

@bug_io.on("note")
def note(text):
    emit("noted", text)
