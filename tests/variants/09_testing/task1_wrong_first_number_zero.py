# wrong: with lists that start with 0, a handler that skips the first number still looks right
# expect: add leaves out the first number
def test_add_acks_the_sum(app, socketio):
    client = socketio.test_client(app)
    assert client.emit("add", [0, 5], callback=True) == 5
    assert client.emit("add", [0, 1, 2], callback=True) == 3
