# wrong: leaves every room rooms() lists, its own sid room included: to=sid no longer reaches alice
# expect: her own sid room must stay
app, socketio = new_app()

@socketio.on("move")
def on_move(message):
    new_room = message["room"]
    for room in rooms():
        leave_room(room)
    join_room(new_room)
    emit("moved", {"room": new_room}, to=new_room, include_self=False)
