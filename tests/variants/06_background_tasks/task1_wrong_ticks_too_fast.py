# wrong: a period of 0.01 s instead of 0.1 s
# expect: the ticks come too fast
def tick_forever(stop):
    n = 0
    while not stop.is_set():
        socketio.emit("tick", {"n": n})
        n += 1
        stop.wait(0.01)
