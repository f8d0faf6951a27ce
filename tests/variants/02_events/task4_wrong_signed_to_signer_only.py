# wrong: emit() inside the handler tells only the signer, not every connected client
# expect: ben did not receive 'signed'
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
    return len(book)
