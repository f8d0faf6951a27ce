# wrong: the port is part of the origin: http://localhost is not http://localhost:5173
# expect: still cannot connect
app1, socketio1 = new_app(cors_allowed_origins=["http://localhost"])


@socketio1.on("hello")
def hello(name):
    return f"hello {name}"
