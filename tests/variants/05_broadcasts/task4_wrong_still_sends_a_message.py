# wrong: include_self=False fixes the editor's copy, but send() still emits `message`
# expect: did not receive 'headline'
@socketio.on("headline")
def headline(text):
    send(text, broadcast=True, include_self=False)
