# wrong: without skip_sid, the skipped client gets the announcement too
# expect: bob received 'announcement' but should not have
def announce(text, skip):
    socketio.emit("announcement", text)
