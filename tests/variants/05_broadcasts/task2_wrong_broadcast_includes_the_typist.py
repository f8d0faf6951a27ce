# wrong: broadcast=True alone tells the typist about herself
# expect: alice received 'typing' but should not have
@socketio.on("typing")
def typing(who):
    emit("typing", who, broadcast=True)
