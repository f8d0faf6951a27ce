# wrong: the ack leaves out the sender's own sid room, which the server does have it in
# expect: the rooms alice got back is not right
app, socketio = new_app()

@socketio.on("join")
def on_join(message):
    join_room(message["room"])
    return [r for r in rooms() if r != request.sid]

@socketio.on("leave")
def on_leave(message):
    leave_room(message["room"])
    return [r for r in rooms() if r != request.sid]
