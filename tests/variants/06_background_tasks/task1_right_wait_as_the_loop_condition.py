# right: stop.wait() returns True once the event is set, so it can end the loop itself
import itertools

def tick_forever(stop):
    for n in itertools.count():
        socketio.emit("tick", {"n": n})
        if stop.wait(0.1):
            return
