# wrong: checks that an auth payload was sent, not which token it carries
# expect: trudy was let in
app, socketio = new_app()

@socketio.on("connect", namespace="/private")
def private_connect(auth):
    if not auth:
        raise ConnectionRefusedError("token required")
