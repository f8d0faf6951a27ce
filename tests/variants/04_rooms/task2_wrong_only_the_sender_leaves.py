# wrong: leave_room() takes only the sender out; alice is still in lobby
# expect: who is still in lobby after close_room is not right
app, socketio = new_app()

@socketio.on("close_room")
def on_close_room(message):
    emit("my_response", {"data": f"Room {message['room']} is closing."}, to=message["room"])
    leave_room(message["room"])
