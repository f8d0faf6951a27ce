# right: a class-based Namespace whose on_shout calls self.emit with no room
SHOUT_SERVER = '''\
import os

from flask import Flask
from flask_socketio import SocketIO, emit
from werkzeug.serving import make_server

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]

from flask_socketio import Namespace

socketio = SocketIO(app, async_mode="threading", cors_allowed_origins=None,
                    message_queue=os.environ["MESSAGE_QUEUE"])


class Chat(Namespace):
    def on_shout(self, text):
        self.emit("news", text)


socketio.on_namespace(Chat("/"))


if __name__ == "__main__":
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    print(f"ready on http://127.0.0.1:{httpd.server_port}", flush=True)
    httpd.serve_forever()
'''
