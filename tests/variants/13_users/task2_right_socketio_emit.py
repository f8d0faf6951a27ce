# right: socketio.emit with to= works in a handler as well as emit(), and @socketio.event names it
@socketio.event
def notify(data):
    socketio.emit("notice", {"text": data["text"], "from": current_user.get_id()},
                  to="user:" + data["to"])
    return "sent"
