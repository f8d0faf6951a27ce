# wrong: without message_queue each process delivers to its own clients only and never subscribes
# expect: not every server process listens on the message queue
SHOUT_SERVER = '''\
import os

from flask import Flask
from flask_socketio import SocketIO, emit
from werkzeug.serving import make_server

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]

socketio = SocketIO(app, async_mode="threading", cors_allowed_origins=None)


@socketio.on("shout")
def shout(text):
    socketio.emit("news", text)


if __name__ == "__main__":
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    print(f"ready on http://127.0.0.1:{httpd.server_port}", flush=True)
    httpd.serve_forever()
'''
