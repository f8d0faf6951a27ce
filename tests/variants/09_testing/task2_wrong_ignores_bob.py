# wrong: never asks bob, so a broadcast to everyone looks right
# expect: say sends to everyone
def test_only_the_room_hears_it(app, socketio):
    alice, bob, carol = (socketio.test_client(app) for _ in range(3))
    alice.emit("join", "lobby")
    carol.emit("join", "lobby")
    alice.emit("say", {"room": "lobby", "text": "hi"})
    said = [{"name": "said", "args": ["hi"], "namespace": "/"}]
    assert alice.get_received() == said
    assert carol.get_received() == said
