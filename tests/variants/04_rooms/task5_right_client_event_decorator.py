# right: @client.event takes the event name from the function name
def track(client, my_rooms):
    @client.event
    def joined(room):
        my_rooms.add(room)

    @client.event
    def left(room):
        my_rooms.remove(room)

    @client.event
    def closed(room):
        my_rooms.remove(room)
