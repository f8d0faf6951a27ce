# wrong: the original program: it leaves the new room (not joined yet), so alice stays in red
# expect: the rooms the server has alice in is not right
app, socketio = new_app()

@socketio.on("move")
def on_move(message):
    new_room = message["room"]
    leave_room(new_room)
    join_room(new_room)
    emit("moved", {"room": new_room}, to=new_room, include_self=False)
