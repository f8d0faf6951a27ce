# wrong: threads, but gevent is installed: the app picks gevent inside a threaded worker
# expect: gevent mode
GUNICORN = "gunicorn -w 1 --threads 100 app:app"
GUNICORN_ENV = {}
