# right: the task asks for the numbers, not for a pace: no sleep is fine
def countdown():
    for n in range(3, -1, -1):
        socketio.emit("countdown", n)
