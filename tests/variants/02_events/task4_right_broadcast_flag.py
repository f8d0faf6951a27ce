# right: emit(..., broadcast=True) inside the handler, @guest_io.event, a counter instead of a list
guest_app = Flask("guestbook")
guest_app.config["SECRET_KEY"] = secrets.token_hex(16)
guest_io = SocketIO(guest_app, async_mode="threading", cors_allowed_origins=None)
signed_so_far = {"count": 0}

@guest_io.event
def connect(auth):
    emit("welcome", {"signatures": signed_so_far["count"]})

@guest_io.event
def sign(name):
    signed_so_far["count"] += 1
    emit("signed", name, broadcast=True)
    return signed_so_far["count"]
