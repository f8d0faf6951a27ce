# right: python-socketio's SimpleClient, receive(timeout=2) three times
from socketio import SimpleClient

def test_ticks_arrive_in_order(app, socketio):
    srv = start_server(app)
    try:
        client = SimpleClient()
        client.connect(srv.url, transports=["websocket"])
        client.emit("start_ticking", 3)
        assert [client.receive(timeout=2) for _ in range(3)] == [["tick", 1], ["tick", 2], ["tick", 3]]
    finally:
        srv.stop()

test_ticks_arrive_in_order(*make_app(ticker))
