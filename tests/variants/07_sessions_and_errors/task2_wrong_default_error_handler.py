# wrong: on_error_default answers the errors of every namespace, not only /calc's
# expect: an error outside /calc was answered too
app, socketio = new_app()

@socketio.on("divide", namespace="/calc")
def divide(a, b):
    return a / b

@socketio.on_error_default
def any_error(exc):
    return {"error": type(exc).__name__}
