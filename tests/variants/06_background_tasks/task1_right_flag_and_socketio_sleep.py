# right: the portable loop: check the event, pace with socketio.sleep (stops within one period)
def tick_forever(stop):
    n = 0
    while not stop.is_set():
        socketio.emit("tick", {"n": n})
        n += 1
        socketio.sleep(0.1)
