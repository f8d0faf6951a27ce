# wrong: an id without storage: connected clients are fine, a client that was away still misses it
# expect: late did not receive 'alert'
BACKUP_WORKER = '''\
import json
import os

from flask_socketio import SocketIO
from redis import Redis

url = os.environ["MESSAGE_QUEUE"]
store = Redis.from_url(url)
alert = {"id": store.incr("alerts:last_id"), "text": "backup finished"}
SocketIO(message_queue=url).emit("alert", alert)
print("alert sent")
'''
