# wrong: the ack is the count from before the new name was added
# expect: the ack of sign
guest_app = Flask("guestbook")
guest_app.config["SECRET_KEY"] = secrets.token_hex(16)
guest_io = SocketIO(guest_app, async_mode="threading", cors_allowed_origins=None)
book = []

@guest_io.on("connect")
def welcome(auth):
    emit("welcome", {"signatures": len(book)})

@guest_io.on("sign")
def sign(name):
    count = len(book)
    book.append(name)
    guest_io.emit("signed", name)
    return count
