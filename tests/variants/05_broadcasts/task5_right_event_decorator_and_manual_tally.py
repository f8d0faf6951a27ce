# right: @client.event names the handlers after the functions; the tally is counted by hand
def register_voter(client, choice, results):
    @client.event
    def vote(question):
        return choice

    @client.event
    def result(tally):
        results.append(tally)
# ---- next exercise cell ----
def collect_votes(question, sids):
    votes = {}
    for sid in sids:
        votes[sid] = socketio.call("vote", question, to=sid, timeout=5)
    tally = {}
    for answer in votes.values():
        tally[answer] = tally.get(answer, 0) + 1
    socketio.emit("result", tally)
    return votes
