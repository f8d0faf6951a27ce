# wrong: the voter emits its choice as a new event instead of returning it, so the ack carries no value
# expect: a voter acknowledged with no value
def register_voter(client, choice, results):
    @client.on("vote")
    def vote(question):
        client.emit("answer", choice)

    @client.on("result")
    def result(tally):
        results.append(tally)
