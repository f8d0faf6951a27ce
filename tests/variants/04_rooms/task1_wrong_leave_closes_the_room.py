# wrong: close_room() takes everyone out of the room, not only the sender (bob leaving red throws alice out)
# expect: alice did not receive 'my_response'
app, socketio = new_app()

@socketio.on("join")
def on_join(message):
    join_room(message["room"])
    return rooms()

@socketio.on("leave")
def on_leave(message):
    close_room(message["room"])
    return rooms()
