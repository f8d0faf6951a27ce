# right: timeout() with a callback whose first argument is the error
TASK3_JS = r"""
const socket = io({ auth: { name: new URLSearchParams(location.search).get("name") } });
function ask(question) {
  return new Promise((resolve) => {
    socket.timeout(500).emit("ask", question, (err, answer) => resolve(err ? "no answer" : answer));
  });
}
"""
PAGES["task3"] = page_html(TASK3_JS)
