# wrong: checks that the room exists, not that the sender is in it
# expect: carol's acknowledgement is not right
app, socketio = new_app()

@socketio.on("room_post")
def on_room_post(message):
    room = message["room"]
    if room not in socketio.server.manager.rooms.get("/", {}):
        return {"error": f"not a member of {room}"}
    emit("room_message", {"room": room, "text": message["text"]}, to=room, include_self=False)
    return {"ok": True}
