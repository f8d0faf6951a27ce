# wrong: one counter for the whole server: bob's first call continues alice's count
# expect: bob's first ack
app, socketio = new_app()
total = 0

@socketio.on("count")
def count():
    global total
    total += 1
    return total
