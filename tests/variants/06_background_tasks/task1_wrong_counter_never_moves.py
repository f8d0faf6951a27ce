# wrong: n is never incremented, so every tick says 0
# expect: first three ticks is not right
def tick_forever(stop):
    n = 0
    while not stop.is_set():
        socketio.emit("tick", {"n": n})
        stop.wait(0.1)
