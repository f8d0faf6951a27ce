# right: keep the dict, override the one setting
app2, socketio2 = new_app(**{**SETTINGS, "allow_upgrades": True})
