# wrong: a sync worker serves one connection at a time: the first WebSocket blocks the second client
# expect: could not connect while the other one was connected
GUNICORN = "gunicorn -w 1 app:app"
GUNICORN_ENV = {"CHAT_ASYNC_MODE": "threading"}
