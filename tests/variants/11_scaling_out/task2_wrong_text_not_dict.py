# wrong: the data must be the dict {"text": ...}, not the bare string
# expect: the alert data is not right
ALERT_WORKER = '''\
import os

from flask_socketio import SocketIO

socketio = SocketIO(message_queue=os.environ["MESSAGE_QUEUE"])
socketio.emit("alert", "disk almost full", to="ops")
'''
