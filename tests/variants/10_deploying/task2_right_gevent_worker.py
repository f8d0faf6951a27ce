# right: the gevent worker; the app picks gevent by itself
GUNICORN = "gunicorn -k gevent -w 1 app:app"
GUNICORN_ENV = {}
