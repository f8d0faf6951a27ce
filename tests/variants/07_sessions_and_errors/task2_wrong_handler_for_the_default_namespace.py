# wrong: on_error() with no argument is the handler of "/", so /calc's errors stay unanswered
# expect: got no acknowledgement for 'divide'
app, socketio = new_app()

@socketio.on("divide", namespace="/calc")
def divide(a, b):
    return a / b

@socketio.on_error()
def calc_error(exc):
    return {"error": type(exc).__name__}
