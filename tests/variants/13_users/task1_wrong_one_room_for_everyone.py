# wrong: every user joins the same room, so a notice for Ada also reaches Alan
# expect: the notices alan 1 received
@socketio.on("connect")
def on_connect(auth):
    if not current_user.is_authenticated:
        raise ConnectionRefusedError("log in first")
    join_room("users")
    join_room("user:ada")
