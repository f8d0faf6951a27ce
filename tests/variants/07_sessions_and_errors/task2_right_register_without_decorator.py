# right: the same error handler, registered by calling on_error("/calc") on a lambda
app, socketio = new_app()

@socketio.on("divide", namespace="/calc")
def divide(a, b):
    return a / b

socketio.on_error("/calc")(lambda exc: {"error": exc.__class__.__name__})
