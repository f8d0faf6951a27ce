# right: one emit per connected client of "/", except the skipped one
def announce(text, skip):
    for sid, _ in list(socketio.server.manager.get_participants("/", None)):
        if sid != skip:
            socketio.emit("announcement", text, to=sid)
