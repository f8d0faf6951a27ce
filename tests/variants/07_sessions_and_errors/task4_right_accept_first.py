# right: accept the good token explicitly, refuse everything else afterwards
app, socketio = new_app()

@socketio.on("connect", namespace="/private")
def private_connect(auth=None):
    if isinstance(auth, dict) and auth.get("token") == "let-me-in":
        return True
    raise ConnectionRefusedError("token required")
