# wrong: never looks at alice, so "the room but not the sender" looks right
# expect: say skips its sender
def test_only_the_room_hears_it(app, socketio):
    alice, bob, carol = (socketio.test_client(app) for _ in range(3))
    alice.emit("join", "lobby")
    carol.emit("join", "lobby")
    alice.emit("say", {"room": "lobby", "text": "hi"})
    assert carol.get_received() == [{"name": "said", "args": ["hi"], "namespace": "/"}]
    assert bob.get_received() == []
