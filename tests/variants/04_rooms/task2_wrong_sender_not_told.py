# wrong: include_self=False leaves out bob, who is in the room too
# expect: bob did not receive 'my_response'
app, socketio = new_app()

@socketio.on("close_room")
def on_close_room(message):
    emit("my_response", {"data": f"Room {message['room']} is closing."}, to=message["room"],
         include_self=False)
    close_room(message["room"])
