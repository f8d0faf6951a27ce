# wrong: the signer is answered with emit() and then also reached by the push to everyone
# expect: exactly one signed at ann
guest_app = Flask("guestbook")
guest_app.config["SECRET_KEY"] = secrets.token_hex(16)
guest_io = SocketIO(guest_app, async_mode="threading", cors_allowed_origins=None)
book = []

@guest_io.on("connect")
def welcome(auth):
    emit("welcome", {"signatures": len(book)})

@guest_io.on("sign")
def sign(name):
    book.append(name)
    emit("signed", name)
    guest_io.emit("signed", name)
    return len(book)
