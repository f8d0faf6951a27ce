# right: skip_sid also takes a list of sids
def announce(text, skip):
    socketio.emit("announcement", text, skip_sid=[skip])
