# wrong: the /alerts handler appends to the "/" list (copy-paste)
# expect: what erin's handlers put in notices is not right
def listen(client, notices):
    @client.on("notice")
    def root_notice(data):
        notices["/"].append(data)

    @client.on("notice", namespace="/alerts")
    def alerts_notice(data):
        notices["/"].append(data)
