# wrong: a test that emits but asserts nothing passes on every app, broken or not
# expect: your test passes on a broken app
def test_add_acks_the_sum(app, socketio):
    client = socketio.test_client(app)
    client.emit("add", [1, 2, 3], callback=True)
