# wrong: the welcome is sent with guest_io.emit, so every connected client gets it again
# expect: a second time
guest_app = Flask("guestbook")
guest_app.config["SECRET_KEY"] = secrets.token_hex(16)
guest_io = SocketIO(guest_app, async_mode="threading", cors_allowed_origins=None)
book = []

@guest_io.on("connect")
def welcome(auth):
    guest_io.emit("welcome", {"signatures": len(book)})

@guest_io.on("sign")
def sign(name):
    book.append(name)
    guest_io.emit("signed", name)
    return len(book)
