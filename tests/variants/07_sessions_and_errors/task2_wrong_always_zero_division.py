# wrong: the answer names ZeroDivisionError whatever was raised
# expect: divide ('one', 2)
app, socketio = new_app()

@socketio.on("divide", namespace="/calc")
def divide(a, b):
    return a / b

@socketio.on_error("/calc")
def calc_error(exc):
    return {"error": "ZeroDivisionError"}
