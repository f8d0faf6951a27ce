# wrong: a client handler without namespace= belongs to "/" only: notices in /alerts are dropped
# expect: what erin's handlers put in notices is not right
def listen(client, notices):
    @client.on("notice")
    def on_notice(data):
        notices["/"].append(data)
