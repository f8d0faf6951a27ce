# wrong: the event name is fixed, but broadcast=True alone includes the editor
# expect: alice received 'headline' but should not have
@socketio.on("headline")
def headline(text):
    emit("headline", text, broadcast=True)
