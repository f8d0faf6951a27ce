# right: client.on(event, handler) without a decorator, and socketio.on_event on the server
def answer_questions(client):
    client.on("question", lambda data: data["a"] * data["b"])
# ---- next exercise cell ----
def relay(numbers):
    answer = call("question", dict(zip("ab", numbers)), timeout=5)
    return answer

socketio.on_event("quiz_me", relay)
