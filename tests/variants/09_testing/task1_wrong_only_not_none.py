# wrong: "some ack came back" is not "the ack is the sum"
# expect: your test passes on a broken app
def test_add_acks_the_sum(app, socketio):
    client = socketio.test_client(app)
    assert client.emit("add", [1, 2, 3], callback=True) is not None
