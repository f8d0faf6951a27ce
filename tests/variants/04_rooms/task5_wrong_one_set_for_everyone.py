# wrong: one module-level set shared by every client, not the set each client was given
# expect: alice's my_rooms is not right
all_rooms = set()

def track(client, my_rooms):
    @client.on("joined")
    def on_joined(room):
        all_rooms.add(room)

    @client.on("left")
    def on_left(room):
        all_rooms.discard(room)

    @client.on("closed")
    def on_closed(room):
        all_rooms.discard(room)
