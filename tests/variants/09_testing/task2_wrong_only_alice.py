# wrong: only the sender is checked: to the room, to the sender, to everyone all look the same
# expect: your test passes on a broken app
def test_only_the_room_hears_it(app, socketio):
    alice, bob, carol = (socketio.test_client(app) for _ in range(3))
    alice.emit("join", "lobby")
    carol.emit("join", "lobby")
    alice.emit("say", {"room": "lobby", "text": "hi"})
    assert alice.get_received() == [{"name": "said", "args": ["hi"], "namespace": "/"}]
