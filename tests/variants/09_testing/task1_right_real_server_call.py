# right: the same behaviour over a real connection, with Client.call(), stopping the server
def test_add_acks_the_sum(app, socketio):
    srv = start_server(app)
    try:
        client = Client(reconnection=False)
        client.connect(srv.url, transports=["websocket"])
        assert client.call("add", [1, 2, 3], timeout=5) == 6
        assert client.call("add", [4, 5], timeout=5) == 9
    finally:
        srv.stop()

test_add_acks_the_sum(*make_app(calculator))
