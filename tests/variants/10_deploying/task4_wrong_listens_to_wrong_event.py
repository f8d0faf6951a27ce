# wrong: listens to "message" (the default event name), but the chat emits "said"
# expect: said handler did not collect the message
def join_chat(url, session):
    client = Client(http_session=session)
    heard = []

    @client.on("message")
    def on_message(data):
        heard.append(data["text"])

    client.connect(url, auth={"user": "ada"})
    return client, heard
