# wrong: the result handler overwrites a local name instead of appending to results
# expect: results list
def register_voter(client, choice, results):
    client.on("vote", lambda question: choice)

    @client.on("result")
    def result(tally):
        results = [tally]  # a new local list; the caller's list stays empty
