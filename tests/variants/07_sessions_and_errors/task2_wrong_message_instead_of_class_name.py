# wrong: str(exc) is the exception's message ("division by zero"), not its class name
# expect: the ack of divide (1, 0)
app, socketio = new_app()

@socketio.on("divide", namespace="/calc")
def divide(a, b):
    return a / b

@socketio.on_error("/calc")
def calc_error(exc):
    return {"error": str(exc)}
