# wrong: without to= the alert goes to every client, members of ops or not
# expect: received 'alert' but should not have
ALERT_WORKER = '''\
import os

from flask_socketio import SocketIO

socketio = SocketIO(message_queue=os.environ["MESSAGE_QUEUE"])
socketio.emit("alert", {"text": "disk almost full"})
'''
