# wrong: disconnect() right after the emit does not wait for the client's answer
# expect: received 'disconnect' but should not have
app, socketio = new_app()

@socketio.on("leave")
def leave():
    emit("goodbye", {"text": "see you"})
    disconnect()
