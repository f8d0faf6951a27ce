# wrong: /ops as a namespace is not the room ops: nobody is connected to it
# expect: alice did not receive 'alert'
ALERT_WORKER = '''\
import os

from flask_socketio import SocketIO

socketio = SocketIO(message_queue=os.environ["MESSAGE_QUEUE"])
socketio.emit("alert", {"text": "disk almost full"}, namespace="/ops")
'''
