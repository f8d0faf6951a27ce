# right: copy_current_request_context also carries the context into a threading.Thread
import threading

app, socketio = new_app()

@socketio.on("slow_echo")
def slow_echo(text):
    def reply():
        emit("echo", {"text": text, "user": session.get("user", "anonymous")})

    threading.Thread(target=copy_current_request_context(reply), daemon=True).start()
