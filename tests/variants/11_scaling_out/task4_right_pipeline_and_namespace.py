# right: the id first, then RPUSH in a pipeline, and an emit that names the namespace
BACKUP_WORKER = '''\
import json
import os

from flask_socketio import SocketIO
from redis import Redis

url = os.environ["MESSAGE_QUEUE"]
store = Redis.from_url(url)
alert = {"id": store.incr("alerts:last_id"), "text": "backup finished"}
with store.pipeline() as pipe:
    pipe.rpush("alerts", json.dumps(alert, separators=(",", ":")))
    pipe.execute()
SocketIO(message_queue=url).emit("alert", alert, namespace="/")
print("alert sent")
'''
