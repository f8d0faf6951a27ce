# right: catching the error inside divide itself answers the client the same way
app, socketio = new_app()

@socketio.on("divide", namespace="/calc")
def divide(a, b):
    try:
        return a / b
    except Exception as exc:
        return {"error": type(exc).__name__}
