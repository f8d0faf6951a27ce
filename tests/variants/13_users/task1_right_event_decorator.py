# right: @socketio.event names the handler after the function, and get_id() is the user's id too
@socketio.event
def connect(auth=None):
    if current_user.is_anonymous:
        raise ConnectionRefusedError("log in first")
    join_room("user:" + current_user.get_id())
