# wrong: never tries a client without auth, so a vault that lets it in passes
# expect: a client with no auth gets in
def test_only_the_right_token_gets_in(app, socketio):
    assert socketio.test_client(app, auth={"token": "s3cret"}).is_connected()
    assert not socketio.test_client(app, auth={"token": "nope"}).is_connected()
