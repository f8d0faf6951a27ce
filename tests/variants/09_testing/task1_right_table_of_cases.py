# right: a loop over a table of cases, one assert per case
def test_add_acks_the_sum(app, socketio):
    client = socketio.test_client(app)
    for numbers, total in [([2, 3], 5), ([10], 10), ([1, 2, 3, 4], 10)]:
        assert client.emit("add", numbers, callback=True) == total, numbers

test_add_acks_the_sum(*make_app(calculator))
