# wrong: socketio.send() sends the unnamed event `message`, not `countdown`
# expect: did not receive 'countdown'
def countdown():
    for n in (3, 2, 1, 0):
        socketio.send(n)
        socketio.sleep(0.1)
