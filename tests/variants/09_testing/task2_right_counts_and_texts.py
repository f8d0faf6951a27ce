# right: compares, per client, the texts of the said events it received
def test_only_the_room_hears_it(app, socketio):
    clients = {name: socketio.test_client(app) for name in ("alice", "bob", "carol")}
    clients["alice"].emit("join", "lobby")
    clients["carol"].emit("join", "lobby")
    clients["alice"].emit("say", {"room": "lobby", "text": "hi"})
    heard = {name: [e["args"] for e in c.get_received() if e["name"] == "said"]
             for name, c in clients.items()}
    assert heard == {"alice": [["hi"]], "bob": [], "carol": [["hi"]]}

test_only_the_room_hears_it(*make_app(chat))
