# right: python-socketio's write-only RedisManager for the emit, on Flask-SocketIO's channel
BACKUP_WORKER = '''\
import json
import os

from flask_socketio import SocketIO
from redis import Redis

url = os.environ["MESSAGE_QUEUE"]
import socketio

store = Redis.from_url(url)
alert = {"id": int(store.incr("alerts:last_id")), "text": "backup finished"}
store.rpush("alerts", json.dumps(alert))
socketio.RedisManager(url, channel="flask-socketio", write_only=True).emit("alert", alert, namespace="/")
print("alert sent")
'''
