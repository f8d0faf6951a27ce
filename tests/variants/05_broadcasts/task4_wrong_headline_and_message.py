# wrong: the fixed emit is right, but the old send() was kept beside it
# expect: received 'message' but should not have
@socketio.on("headline")
def headline(text):
    emit("headline", text, broadcast=True, include_self=False)
    send(text, broadcast=True, include_self=False)
