# right: a table of auth payloads and whether each may connect, asked of "/" explicitly
def test_only_the_right_token_gets_in(app, socketio):
    cases = [({"token": "s3cret"}, True), ({"token": "nope"}, False), (None, False),
             ({"password": "s3cret"}, False)]
    for auth, allowed in cases:
        assert socketio.test_client(app, auth=auth).is_connected("/") is allowed, auth

test_only_the_right_token_gets_in(*make_app(vault))
