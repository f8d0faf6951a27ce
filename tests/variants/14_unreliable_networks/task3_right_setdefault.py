# right: one dict lookup decides, and @socketio.event registers it under the function's name
ids_by_key = {}   # the sender's key -> the message's id

@socketio.event
def say(data):
    key = data["key"]
    if key in ids_by_key:
        return ids_by_key[key]
    item = {"id": len(history) + 1, "text": data["text"]}
    history.append(item)
    ids_by_key.setdefault(key, item["id"])
    socketio.emit("message", item, to="chat")
    return item["id"]
