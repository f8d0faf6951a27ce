# right: the shipped settings without the offending key
app2, socketio2 = new_app(**{k: v for k, v in SETTINGS.items() if k != "allow_upgrades"})
