# right: clients made on "/" that then connect() to /news as well, compared by args
def test_readers_get_the_headline(app, socketio):
    editor, reader = socketio.test_client(app), socketio.test_client(app)
    for client in (editor, reader):
        client.connect(namespace="/news")
    editor.emit("announce", "rain tomorrow", namespace="/news")
    assert [e["args"] for e in reader.get_received("/news")] == [["RAIN TOMORROW"]]

test_readers_get_the_headline(*make_app(newsroom))
