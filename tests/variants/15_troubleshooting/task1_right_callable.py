# right: a function deciding per origin (python-engineio calls it with the Origin header)
def allowed(origin):
    return origin == DEV_ORIGIN


app1, socketio1 = new_app(cors_allowed_origins=allowed)


@socketio1.on("hello")
def hello(name):
    return "hello " + name
