# wrong: with timeout(), the callback's first argument is the error (null), not the answer
# expect: ask('2+2') is not right
TASK3_JS = r"""
const socket = io({ auth: { name: new URLSearchParams(location.search).get("name") } });
function ask(question) {
  return new Promise((resolve) => {
    socket.timeout(500).emit("ask", question, (answer) => resolve(answer || "no answer"));
  });
}
"""
PAGES["task3"] = page_html(TASK3_JS)
