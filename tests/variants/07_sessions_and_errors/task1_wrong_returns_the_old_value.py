# wrong: acks the value before adding one (0, 1, ... instead of 1, 2, ...)
# expect: alice's first two acks
app, socketio = new_app()

@socketio.on("count")
def count():
    n = session.get("n", 0)
    session["n"] = n + 1
    return n
