# wrong: appends the whole payload dict instead of its text
# expect: said handler did not collect the message
def join_chat(url, session):
    client = Client(http_session=session)
    heard = []

    @client.on("said")
    def on_said(data):
        heard.append(data)

    client.connect(url, auth={"user": "ada"})
    return client, heard
