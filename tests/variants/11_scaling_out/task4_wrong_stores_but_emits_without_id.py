# wrong: the alert is stored, but the live emit lacks its id, so clients cannot say what they saw
# expect: the alert live received is not right
BACKUP_WORKER = '''\
import json
import os

from flask_socketio import SocketIO
from redis import Redis

url = os.environ["MESSAGE_QUEUE"]
store = Redis.from_url(url)
alert = {"id": store.incr("alerts:last_id"), "text": "backup finished"}
store.rpush("alerts", json.dumps(alert))
SocketIO(message_queue=url).emit("alert", {"text": "backup finished"})
print("alert sent")
'''
