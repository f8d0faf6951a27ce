# wrong: only refusals are checked: a vault that refuses everyone passes
# expect: even the right token is refused
def test_only_the_right_token_gets_in(app, socketio):
    assert not socketio.test_client(app, auth={"token": "nope"}).is_connected()
    assert not socketio.test_client(app).is_connected()
