# wrong: a fixed id makes the second night's alert look like one the client already saw
# expect: the alert live received is not right
BACKUP_WORKER = '''\
import json
import os

from flask_socketio import SocketIO
from redis import Redis

url = os.environ["MESSAGE_QUEUE"]
store = Redis.from_url(url)
alert = {"id": 1, "text": "backup finished"}
store.rpush("alerts", json.dumps(alert))
SocketIO(message_queue=url).emit("alert", alert)
print("alert sent")
'''
