# wrong: a plain emit() goes back to the typist, the one client that must not get it
# expect: bob did not receive 'typing'
@socketio.on("typing")
def typing(who):
    emit("typing", who)
