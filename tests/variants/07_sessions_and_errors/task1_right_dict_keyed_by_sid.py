# right: a dict keyed by request.sid also counts per connection (with @socketio.event)
app, socketio = new_app()
counts = {}

@socketio.event
def count():
    counts[request.sid] = counts.get(request.sid, 0) + 1
    return counts[request.sid]
