# wrong: a callback with one required argument raises TypeError when a client acks with nothing
# expect: a server handler raised
app, socketio = new_app()

@socketio.on("leave")
def leave():
    def after_goodbye(answer):
        if answer == "bye":
            disconnect()

    emit("goodbye", {"text": "see you"}, callback=after_goodbye)
