# right: the context-free socketio.emit() and socketio.close_room() work inside a handler too
app, socketio = new_app()

@socketio.on("close_room")
def on_close_room(message):
    room = message["room"]
    socketio.emit("my_response", {"data": "Room " + room + " is closing."}, to=room)
    socketio.close_room(room)
