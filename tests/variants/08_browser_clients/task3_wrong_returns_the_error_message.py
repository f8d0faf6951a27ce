# wrong: on a timeout it returns the error's message, not "no answer"
# expect: what ask('slow') returned
TASK3_JS = r"""
const socket = io({ auth: { name: new URLSearchParams(location.search).get("name") } });
async function ask(question) {
  try {
    return await socket.timeout(500).emitWithAck("ask", question);
  } catch (err) {
    return err.message;
  }
}
"""
PAGES["task3"] = page_html(TASK3_JS)
