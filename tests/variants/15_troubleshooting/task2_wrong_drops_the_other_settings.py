# wrong: upgrades again, but the ping interval and the payload limit the task asked to keep are gone
# expect: the other settings
app2, socketio2 = new_app()
