# right: the older room= keyword instead of to=
ALERT_WORKER = '''\
import os

from flask_socketio import SocketIO

SocketIO(message_queue=os.environ["MESSAGE_QUEUE"]).emit(
    "alert", {"text": "disk almost full"}, room="ops", namespace="/")
'''
