# right: the official example's @copy_current_request_context on the callback (harmless), a ClientNamespace
from socketio import ClientNamespace

app, socketio = new_app()

@socketio.on("leave")
def leave():
    @copy_current_request_context
    def can_disconnect(*answer):
        if list(answer) == ["bye"]:
            disconnect(request.sid)

    emit("goodbye", {"text": "see you"}, callback=can_disconnect)
# ---- next exercise cell ----
guest_inbox = []

class Guest(ClientNamespace):
    def on_goodbye(self, data):
        guest_inbox.append(data)
        return "bye"

def make_guest():
    guest = Client(reconnection=False)
    guest.register_namespace(Guest("/"))
    return guest
