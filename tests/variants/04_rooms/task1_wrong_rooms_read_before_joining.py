# wrong: rooms() is read before join_room, so the ack misses the room just joined
# expect: the rooms alice got back is not right
app, socketio = new_app()

@socketio.on("join")
def on_join(message):
    before = rooms()
    join_room(message["room"])
    return before

@socketio.on("leave")
def on_leave(message):
    leave_room(message["room"])
    return rooms()
