# wrong: fixed namespaces, but it asks the editor, who hears her own broadcast anyway
# expect: announce answers the editor only
def test_readers_get_the_headline(app, socketio):
    editor = socketio.test_client(app, namespace="/news")
    editor.emit("announce", "rain tomorrow", namespace="/news")
    assert editor.get_received("/news") == [
        {"name": "headline", "args": ["RAIN TOMORROW"], "namespace": "/news"}]
