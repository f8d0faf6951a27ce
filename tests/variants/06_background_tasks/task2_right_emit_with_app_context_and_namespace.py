# right: given an app context, a namespace and broadcast=True, emit() reads nothing from a request
def countdown():
    with app.app_context():
        for n in (3, 2, 1, 0):
            emit("countdown", n, namespace="/", broadcast=True)
            socketio.sleep(0.1)
