# wrong: broadcast=True does not help: the emit() function still reads the current event's namespace
# expect: Working outside of request context
def countdown():
    for n in (3, 2, 1, 0):
        emit("countdown", n, broadcast=True)
        socketio.sleep(0.1)
