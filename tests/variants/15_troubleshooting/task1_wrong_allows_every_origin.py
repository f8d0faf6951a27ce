# wrong: "*" lets the dev page in, and every other web page on the internet too
# expect: evil.example could connect
app1, socketio1 = new_app(cors_allowed_origins="*")


@socketio1.on("hello")
def hello(name):
    return f"hello {name}"
