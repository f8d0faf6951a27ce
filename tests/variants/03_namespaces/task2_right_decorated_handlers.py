# right: decorated handlers in /admin behave the same over the wire (the task text says the check cannot tell)
app, socketio = new_app()

@socketio.on("connect", namespace="/admin")
def admin_connect(auth):
    emit("admin_welcome", {"role": "admin"})

@socketio.on("stats", namespace="/admin")
def admin_stats(numbers):
    return {"count": len(numbers), "total": sum(numbers)}
