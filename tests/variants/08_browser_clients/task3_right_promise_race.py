# right: emitWithAck raced against a 500 ms timer (the late ack then settles a forgotten promise)
TASK3_JS = r"""
const socket = io({ auth: { name: new URLSearchParams(location.search).get("name") } });
const after = (ms, value) => new Promise((resolve) => setTimeout(() => resolve(value), ms));
var ask = (question) => Promise.race([socket.emitWithAck("ask", question), after(500, "no answer")]);
"""
PAGES["task3"] = page_html(TASK3_JS)
