# wrong: an origin has no path: "http://localhost:5173/" never equals the Origin header
# expect: still cannot connect
app1, socketio1 = new_app(cors_allowed_origins=["http://localhost:5173/"])


@socketio1.on("hello")
def hello(name):
    return f"hello {name}"
