# wrong: stop is only looked at between batches of ten ticks, so the task runs on for up to 1 s
# expect: did not return within 0.5 s
def tick_forever(stop):
    n = 0
    while not stop.is_set():
        for _ in range(10):
            socketio.emit("tick", {"n": n})
            n += 1
            socketio.sleep(0.1)
