# wrong: to=skip addresses exactly the one client to leave out
# expect: alice did not receive 'announcement'
def announce(text, skip):
    socketio.emit("announcement", text, to=skip)
