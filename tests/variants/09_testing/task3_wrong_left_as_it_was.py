# wrong: the colleague's test unchanged: it looks in "/" and fails on the working app
# expect: your test fails on the app of this task
def test_readers_get_the_headline(app, socketio):
    editor = socketio.test_client(app)
    reader = socketio.test_client(app)
    editor.emit("announce", "rain tomorrow")
    assert reader.get_received() == [
        {"name": "headline", "args": ["RAIN TOMORROW"], "namespace": "/news"}]
