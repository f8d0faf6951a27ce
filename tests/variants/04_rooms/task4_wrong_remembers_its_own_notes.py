# wrong: remembers each client's room in a dict, which knows nothing of rooms entered another way
# expect: the rooms the server has alice in is not right
app, socketio = new_app()
current_room = {}

@socketio.on("move")
def on_move(message):
    new_room = message["room"]
    if request.sid in current_room:
        leave_room(current_room[request.sid])
    join_room(new_room)
    current_room[request.sid] = new_room
    emit("moved", {"room": new_room}, to=new_room, include_self=False)
