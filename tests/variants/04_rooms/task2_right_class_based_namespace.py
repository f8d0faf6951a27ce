# right: a class-based namespace: self.emit(..., room=) then self.close_room()
app, socketio = new_app()

class Rooms(Namespace):
    def on_close_room(self, message):
        room = message["room"]
        self.emit("my_response", {"data": f"Room {room} is closing."}, room=room)
        self.close_room(room)

socketio.on_namespace(Rooms("/"))
