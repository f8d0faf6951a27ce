# wrong: emitting a "bye" event is not an answer: the ack is the handler's return value
# expect: guest did not receive 'disconnect'
app, socketio = new_app()

@socketio.on("leave")
def leave():
    def after_goodbye(*answer):
        if answer == ("bye",):
            disconnect()

    emit("goodbye", {"text": "see you"}, callback=after_goodbye)
# ---- next exercise cell ----
guest_inbox = []

def make_guest():
    guest = Client(reconnection=False)

    @guest.on("goodbye")
    def on_goodbye(data):
        guest_inbox.append(data)
        guest.emit("bye")

    return guest
