# wrong: without include_self=False the sender, a member, receives its own message
# expect: alice received 'room_message' but should not have
app, socketio = new_app()

@socketio.on("room_post")
def on_room_post(message):
    room = message["room"]
    if room not in rooms():
        return {"error": f"not a member of {room}"}
    emit("room_message", {"room": room, "text": message["text"]}, to=room)
    return {"ok": True}
