# right: Namespace.emit() aimed at the new client with room=request.sid (it has no to=)
app, socketio = new_app()

class AdminNamespace(Namespace):
    def on_connect(self, auth):
        self.emit("admin_welcome", {"role": "admin"}, room=request.sid)

    def on_stats(self, numbers):
        total = 0
        for n in numbers:
            total += n
        return {"total": total, "count": len(numbers)}

socketio.on_namespace(AdminNamespace("/admin"))
