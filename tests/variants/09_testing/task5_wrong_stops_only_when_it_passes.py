# wrong: srv.stop() at the end, not in a finally:, so a failing assert leaves the server running
# expect: where it failed
def test_ticks_arrive_in_order(app, socketio):
    srv = start_server(app)
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
    assert ticks == [1, 2, 3]
    srv.stop()
