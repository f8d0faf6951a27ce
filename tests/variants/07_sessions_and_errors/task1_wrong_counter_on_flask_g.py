# wrong: flask.g lives for one event only, so every call counts from zero again
# expect: alice's first two acks
from flask import g

app, socketio = new_app()

@socketio.on("count")
def count():
    g.n = getattr(g, "n", 0) + 1
    return g.n
