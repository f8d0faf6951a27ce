# wrong: the refusal comes after the emit, so a non-member's post still reaches the room
# expect: received 'room_message' but should not have
app, socketio = new_app()

@socketio.on("room_post")
def on_room_post(message):
    room = message["room"]
    emit("room_message", {"room": room, "text": message["text"]}, to=room, include_self=False)
    if room not in rooms():
        return {"error": f"not a member of {room}"}
    return {"ok": True}
