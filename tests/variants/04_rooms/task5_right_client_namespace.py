# right: a socketio.ClientNamespace for "/" with on_joined, on_left and on_closed
from socketio import ClientNamespace


class RoomTracker(ClientNamespace):
    def __init__(self, my_rooms):
        super().__init__("/")
        self.my_rooms = my_rooms

    def on_joined(self, room):
        self.my_rooms.add(room)

    def on_left(self, room):
        self.my_rooms.discard(room)

    def on_closed(self, room):
        self.my_rooms.discard(room)


def track(client, my_rooms):
    client.register_namespace(RoomTracker(my_rooms))
