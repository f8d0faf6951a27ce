# wrong: self.emit() in on_connect reaches every client of /admin, so carol is welcomed again when dave connects
# expect: carol received 'admin_welcome' but should not have
app, socketio = new_app()

class AdminNamespace(Namespace):
    def on_connect(self, auth):
        self.emit("admin_welcome", {"role": "admin"})

    def on_stats(self, numbers):
        return {"count": len(numbers), "total": sum(numbers)}

socketio.on_namespace(AdminNamespace("/admin"))
