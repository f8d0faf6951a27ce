# wrong: the emit() function needs a request context, and a background task has none
# expect: Working outside of request context
def tick_forever(stop):
    n = 0
    while not stop.is_set():
        emit("tick", {"n": n})
        n += 1
        stop.wait(0.1)
