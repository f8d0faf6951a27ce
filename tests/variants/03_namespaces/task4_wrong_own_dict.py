# wrong: the handlers fill a dict of their own, not the one each client was given
# expect: what erin's handlers put in notices is not right
seen = {"/": [], "/alerts": []}

def listen(client, notices):
    @client.on("notice")
    def root_notice(data):
        seen["/"].append(data)

    @client.on("notice", namespace="/alerts")
    def alerts_notice(data):
        seen["/alerts"].append(data)
