# right: the sid passed to the task as an argument, the handler registered with @socketio.event
app3, socketio3 = new_app()


def work(sid, text):
    socketio3.emit("done", text.upper(), to=sid)


@socketio3.event
def start(text):
    socketio3.start_background_task(work, request.sid, text)
