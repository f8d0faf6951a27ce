# wrong: the class is written but never registered with on_namespace(), so /admin is not served
# expect: the server does not serve /admin
app, socketio = new_app()

class AdminNamespace(Namespace):
    def on_connect(self, auth):
        emit("admin_welcome", {"role": "admin"})

    def on_stats(self, numbers):
        return {"count": len(numbers), "total": sum(numbers)}
