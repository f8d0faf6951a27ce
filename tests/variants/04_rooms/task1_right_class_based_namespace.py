# right: a class-based namespace for "/" with on_join and on_leave
app, socketio = new_app()

class Lobby(Namespace):
    def on_join(self, message):
        join_room(message["room"])
        return rooms()

    def on_leave(self, message):
        leave_room(message["room"])
        return rooms()

socketio.on_namespace(Lobby("/"))
