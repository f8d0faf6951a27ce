# wrong: asking every connected client (not just the sids given) and keeping only the listed answers still asks bob
# expect: bob was asked to vote
def register_voter(client, choice, results):
    @client.on("vote")
    def vote(question):
        return choice

    @client.on("result")
    def result(tally):
        results.append(tally)
# ---- next exercise cell ----
def collect_votes(question, sids):
    everyone = [sid for sid, _ in list(socketio.server.manager.get_participants("/", None))]
    answers = {sid: socketio.call("vote", question, to=sid, timeout=1) for sid in everyone}
    votes = {sid: answers[sid] for sid in sids}
    socketio.emit("result", dict(Counter(votes.values())))
    return votes
