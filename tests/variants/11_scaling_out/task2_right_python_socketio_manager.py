# right: python-socketio's own write-only RedisManager, on Flask-SocketIO's channel
ALERT_WORKER = '''\
import os

import socketio

queue = socketio.RedisManager(os.environ["MESSAGE_QUEUE"], channel="flask-socketio",
                              write_only=True)
queue.emit("alert", {"text": "disk almost full"}, namespace="/", room="ops")
'''
