# wrong: connects over long-polling only: nothing goes over wss://
# expect: your client's transport
def join_chat(url, session):
    client = Client(http_session=session)
    heard = []

    @client.on("said")
    def on_said(data):
        heard.append(data["text"])

    client.connect(url, auth={"user": "ada"}, transports=["polling"])
    return client, heard
