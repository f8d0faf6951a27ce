# wrong: return False refuses, but the client is told "Connection rejected by server", not "log in first"
# expect: the connect_error data
@socketio.on("connect")
def on_connect(auth):
    if not current_user.is_authenticated:
        return False
    join_room(f"user:{current_user.id}")
