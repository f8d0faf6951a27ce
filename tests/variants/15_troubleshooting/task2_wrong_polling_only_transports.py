# wrong: transports=["polling"] still offers the upgrade, then refuses it: clients stay on polling
# expect: dora's transport
app2, socketio2 = new_app(ping_interval=10, max_http_buffer_size=2_000_000,
                          transports=["polling"])
