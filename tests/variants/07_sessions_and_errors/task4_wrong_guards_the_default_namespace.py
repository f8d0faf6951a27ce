# wrong: the handler guards "/" instead of /private, which then has no handler at all
# expect: the connect_error data
app, socketio = new_app()

@socketio.on("connect")
def private_connect(auth):
    if not auth or auth.get("token") != "let-me-in":
        raise ConnectionRefusedError("token required")
