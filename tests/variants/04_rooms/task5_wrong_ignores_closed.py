# wrong: no handler for closed, so a closed room stays in the set
# expect: alice's my_rooms is not right
def track(client, my_rooms):
    @client.on("joined")
    def on_joined(room):
        my_rooms.add(room)

    @client.on("left")
    def on_left(room):
        my_rooms.discard(room)
