# right: one client handler for notice in every namespace (namespace="*") gets the namespace first
def listen(client, notices):
    @client.on("notice", namespace="*")
    def any_notice(namespace, data):
        notices[namespace].append(data)
