# wrong: the guest's handler stores the goodbye but returns nothing, so it never says "bye"
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

    return guest
