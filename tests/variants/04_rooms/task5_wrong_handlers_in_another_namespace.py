# wrong: the handlers are registered for /rooms, but the server talks in "/"
# expect: alice's my_rooms is not right
def track(client, my_rooms):
    @client.on("joined", namespace="/rooms")
    def on_joined(room):
        my_rooms.add(room)

    @client.on("left", namespace="/rooms")
    def on_left(room):
        my_rooms.discard(room)

    @client.on("closed", namespace="/rooms")
    def on_closed(room):
        my_rooms.discard(room)
