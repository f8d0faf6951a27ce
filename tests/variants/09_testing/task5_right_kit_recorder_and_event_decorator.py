# right: the kit's record() and wait_for(), with the client's handler written as @client.event
def test_ticks_arrive_in_order(app, socketio):
    srv = start_server(app)
    try:
        client = Client(reconnection=False)
        seen = []

        @client.event
        def tick(n):
            seen.append(n)

        rec = record(client, "carol")
        client.connect(srv.url, transports=["websocket"])
        client.emit("start_ticking", 3)
        ticks = rec.wait_for("tick", count=3, timeout=2)
        assert [t.data for t in ticks] == [1, 2, 3] == seen
    finally:
        srv.stop()

test_ticks_arrive_in_order(*make_app(ticker))
