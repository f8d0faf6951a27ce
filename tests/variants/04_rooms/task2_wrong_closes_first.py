# wrong: after close_room() nobody is left in the room to tell
# expect: did not receive 'my_response'
app, socketio = new_app()

@socketio.on("close_room")
def on_close_room(message):
    close_room(message["room"])
    emit("my_response", {"data": f"Room {message['room']} is closing."}, to=message["room"])
