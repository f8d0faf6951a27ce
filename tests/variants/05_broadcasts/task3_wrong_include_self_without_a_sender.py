# wrong: include_self=False means "skip request.sid", and outside a handler there is no request
# expect: announce raised
def announce(text, skip):
    socketio.emit("announcement", text, include_self=False)
