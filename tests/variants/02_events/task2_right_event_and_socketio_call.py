# right: @client.event / @socketio.event, and socketio.call() addressed to request.sid
from flask import request


def answer_questions(client):
    @client.event
    def question(data):
        return data["a"] * data["b"]
# ---- next exercise cell ----
@socketio.event
def quiz_me(numbers):
    return socketio.call("question", {"a": numbers[0], "b": numbers[1]}, to=request.sid,
                         timeout=5)
