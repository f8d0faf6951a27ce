# wrong: to=room is an address, not a permission: a non-member's post goes through
# expect: carol's acknowledgement is not right
app, socketio = new_app()

@socketio.on("room_post")
def on_room_post(message):
    emit("room_message", {"room": message["room"], "text": message["text"]},
         to=message["room"], include_self=False)
    return {"ok": True}
