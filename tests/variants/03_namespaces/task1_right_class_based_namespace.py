# right: a class-based /chat namespace whose self.emit() names the sender with room= (not to=)
app, socketio = new_app()

class Chat(Namespace):
    def on_connect(self, auth):
        pass

    def on_post(self, text):
        self.emit("posted", f"[chat] {text}", room=request.sid)

socketio.on_namespace(Chat("/chat"))
