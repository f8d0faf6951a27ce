# right: socketio.emit(to=request.sid) with a callback taking a default, @guest.event on the client
app, socketio = new_app()

@socketio.event
def leave():
    def after_goodbye(answer=None):
        if answer == "bye":
            disconnect()

    socketio.emit("goodbye", {"text": "see you"}, to=request.sid, callback=after_goodbye)
# ---- next exercise cell ----
guest_inbox = []

def make_guest():
    guest = Client(reconnection=False)

    @guest.event
    def goodbye(data):
        guest_inbox.append(data)
        return "bye"

    return guest
