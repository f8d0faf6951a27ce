# wrong: the shipped settings, unchanged: allow_upgrades=False empties the upgrade list
# expect: the upgrades the handshake offers
app2, socketio2 = new_app(**SETTINGS)
