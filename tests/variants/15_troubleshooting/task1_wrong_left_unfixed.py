# wrong: the shipped app, unchanged: the default accepts only the server's own origin
# expect: still cannot connect
app1, socketio1 = new_app()


@socketio1.on("hello")
def hello(name):
    return f"hello {name}"
