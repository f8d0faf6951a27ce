# right: handlers registered with bug_io.on_event, the ack from a lambda
bug_app = Flask("fix-it")
bug_app.config["SECRET_KEY"] = secrets.token_hex(16)
bug_io = SocketIO(bug_app, async_mode="threading", cors_allowed_origins=None)

bug_io.on_event("ping_me", lambda: "pong")
bug_io.on_event("note", lambda text: emit("noted", text))
