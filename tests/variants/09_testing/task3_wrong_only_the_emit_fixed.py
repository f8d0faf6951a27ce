# wrong: emit() names /news, but the clients are still connected to "/" only
# expect: your test fails on the app of this task
def test_readers_get_the_headline(app, socketio):
    editor = socketio.test_client(app)
    reader = socketio.test_client(app)
    editor.emit("announce", "rain tomorrow", namespace="/news")
    assert reader.get_received("/news") == [
        {"name": "headline", "args": ["RAIN TOMORROW"], "namespace": "/news"}]
