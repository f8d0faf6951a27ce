# wrong: the worker as it was: an emit that nobody stores, and no id
# expect: the alert live received is not right
BACKUP_WORKER = '''\
import json
import os

from flask_socketio import SocketIO
from redis import Redis

url = os.environ["MESSAGE_QUEUE"]
socketio = SocketIO(message_queue=url)
socketio.emit("alert", {"text": "backup finished"})
print("alert sent")
'''
