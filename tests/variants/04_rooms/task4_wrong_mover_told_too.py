# wrong: without include_self=False the mover is told about its own arrival
# expect: alice received 'moved' but should not have
app, socketio = new_app()

@socketio.on("move")
def on_move(message):
    new_room = message["room"]
    for room in rooms():
        if room != request.sid:
            leave_room(room)
    join_room(new_room)
    emit("moved", {"room": new_room}, to=new_room)
