# wrong: the client emits its answer as an event instead of returning it, so the ack is empty
# expect: carol's question handler returned nothing
def answer_questions(client):
    @client.on("question")
    def on_question(data):
        client.emit("answer", data["a"] * data["b"])
# ---- next exercise cell ----
@socketio.on("quiz_me")
def quiz_me(numbers):
    a, b = numbers
    return call("question", {"a": a, "b": b}, timeout=1)
