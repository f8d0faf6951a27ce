# right: Flask's copy_current_request_context carries the handler's request into the task
from flask import copy_current_request_context

app3, socketio3 = new_app()


@socketio3.on("start")
def start(text):
    @copy_current_request_context
    def work():
        emit("done", text.upper())
    socketio3.start_background_task(work)
