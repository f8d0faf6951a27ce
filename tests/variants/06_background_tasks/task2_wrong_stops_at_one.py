# wrong: range(3, 0, -1) stops before 0
# expect: did not receive 'countdown'
def countdown():
    for n in range(3, 0, -1):
        socketio.emit("countdown", n)
        socketio.sleep(0.1)
