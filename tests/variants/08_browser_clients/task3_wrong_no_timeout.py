# wrong: without timeout(), an ack that never comes (or comes 5 s late) is waited for
# expect: ask('slow') did not give up
TASK3_JS = r"""
const socket = io({ auth: { name: new URLSearchParams(location.search).get("name") } });
async function ask(question) {
  return await socket.emitWithAck("ask", question);
}
"""
PAGES["task3"] = page_html(TASK3_JS)
