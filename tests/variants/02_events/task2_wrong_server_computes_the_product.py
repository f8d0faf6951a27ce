# wrong: the server asks the client but returns its own product instead of the client's answer
# expect: no idea
def answer_questions(client):
    @client.on("question")
    def on_question(data):
        return data["a"] * data["b"]
# ---- next exercise cell ----
@socketio.on("quiz_me")
def quiz_me(numbers):
    a, b = numbers
    call("question", {"a": a, "b": b}, timeout=1)
    return a * b
