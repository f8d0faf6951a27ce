# wrong: return False refuses, but the client is told "Connection rejected by server"
# expect: the connect_error data
app, socketio = new_app()

@socketio.on("connect", namespace="/private")
def private_connect(auth):
    if not auth or auth.get("token") != "let-me-in":
        return False
