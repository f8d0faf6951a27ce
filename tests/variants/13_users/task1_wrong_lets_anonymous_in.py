# wrong: nobody is refused: an anonymous client joins "user:None" and is accepted
# expect: was let in
@socketio.on("connect")
def on_connect(auth):
    join_room(f"user:{current_user.get_id()}")
