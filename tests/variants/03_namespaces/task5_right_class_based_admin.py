# right: a class-based /admin namespace; its self.emit() with namespace="/alerts" and no room= reaches all of /alerts
app, socketio = new_app()

@socketio.on("connect", namespace="/alerts")
def alerts_connect(auth):
    pass

class Admin(Namespace):
    def on_announce(self, text):
        self.emit("alert", {"text": text}, namespace="/alerts")
        return "announced"

socketio.on_namespace(Admin("/admin"))
