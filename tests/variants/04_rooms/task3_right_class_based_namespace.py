# right: a class-based namespace; self.emit() with room= and include_self=False
app, socketio = new_app()

class Chat(Namespace):
    def on_room_post(self, message):
        room = message["room"]
        if room not in rooms():
            return {"error": f"not a member of {room}"}
        self.emit("room_message", {"room": room, "text": message["text"]}, room=room,
                  include_self=False)
        return {"ok": True}

socketio.on_namespace(Chat("/"))
