# wrong: the callback disconnects whatever the client answered
# expect: carol received 'disconnect' but should not have
app, socketio = new_app()

@socketio.on("leave")
def leave():
    def after_goodbye(*answer):
        disconnect()

    emit("goodbye", {"text": "see you"}, callback=after_goodbye)
