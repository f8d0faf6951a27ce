# wrong: four workers without sticky sessions: long-polling requests reach the wrong worker
# expect: worker processes
GUNICORN = "gunicorn -w 4 --threads 100 app:app"
GUNICORN_ENV = {"CHAT_ASYNC_MODE": "threading"}
