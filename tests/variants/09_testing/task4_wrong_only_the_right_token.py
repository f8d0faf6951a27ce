# wrong: only the happy path: a vault that lets everyone in passes
# expect: any token is accepted
def test_only_the_right_token_gets_in(app, socketio):
    assert socketio.test_client(app, auth={"token": "s3cret"}).is_connected()
