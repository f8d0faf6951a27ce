# wrong: the server asks with emit(..., callback=) and returns at once: quiz_me's ack is empty
# expect: quiz_me returned nothing
def answer_questions(client):
    @client.on("question")
    def on_question(data):
        return data["a"] * data["b"]
# ---- next exercise cell ----
@socketio.on("quiz_me")
def quiz_me(numbers):
    a, b = numbers
    emit("question", {"a": a, "b": b}, callback=lambda answer: None)
