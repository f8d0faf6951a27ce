# right: @client.event names the handler after the event
def join_chat(url, session):
    client = Client(http_session=session)
    heard = []

    @client.event
    def said(data):
        heard.append(data["text"])

    client.connect(url, auth={"user": "ada"}, transports=["websocket"], wait_timeout=5)
    return client, heard
