# wrong: the tally goes only to the clients that voted; everyone should see the result
# expect: bob did not receive 'result'
def register_voter(client, choice, results):
    @client.on("vote")
    def vote(question):
        return choice

    @client.on("result")
    def result(tally):
        results.append(tally)
# ---- next exercise cell ----
def collect_votes(question, sids):
    votes = {sid: socketio.call("vote", question, to=sid, timeout=1) for sid in sids}
    for sid in sids:
        socketio.emit("result", dict(Counter(votes.values())), to=sid)
    return votes
