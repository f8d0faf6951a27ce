# wrong: returning a tuple acknowledges with two values, not with the dict the task asks for
# expect: the stats acknowledgement is not right
app, socketio = new_app()

class AdminNamespace(Namespace):
    def on_connect(self, auth):
        emit("admin_welcome", {"role": "admin"})

    def on_stats(self, numbers):
        return len(numbers), sum(numbers)

socketio.on_namespace(AdminNamespace("/admin"))
