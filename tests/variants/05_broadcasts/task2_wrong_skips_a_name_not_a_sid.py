# wrong: skip_sid wants a session id; the user's name matches no client, so nobody is skipped
# expect: alice received 'typing' but should not have
@socketio.on("typing")
def typing(who):
    emit("typing", who, broadcast=True, skip_sid=who)
