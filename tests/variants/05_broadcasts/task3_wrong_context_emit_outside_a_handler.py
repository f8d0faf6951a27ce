# wrong: the emit() function reads the current event's namespace, and there is none here
# expect: RuntimeError: Working outside of request context
def announce(text, skip):
    emit("announcement", text, broadcast=True, skip_sid=skip)
