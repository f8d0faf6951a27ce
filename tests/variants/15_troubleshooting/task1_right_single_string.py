# right: a single origin may be given as a string instead of a list
app1, socketio1 = new_app(cors_allowed_origins=DEV_ORIGIN)


@socketio1.event
def hello(name):
    return f"hello {name}"
