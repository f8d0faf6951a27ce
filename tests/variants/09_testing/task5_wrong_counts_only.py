# wrong: "three ticks came" is not "ticks 1, 2, 3 came"
# expect: the ticks count from 0
def test_ticks_arrive_in_order(app, socketio):
    srv = start_server(app)
    try:
        ticks, arrived = [], threading.Event()
        client = Client(reconnection=False)

        @client.on("tick")
        def on_tick(n):
            ticks.append(n)
            if len(ticks) == 3:
                arrived.set()

        client.connect(srv.url, transports=["websocket"])
        client.emit("start_ticking", 3)
        assert arrived.wait(timeout=2)
    finally:
        srv.stop()
