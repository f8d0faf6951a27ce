# right: auth as a function (called before each connection), destructuring, appendChild
TASK1_BODY = '<p id="status">loading</p> <ul id="news"></ul>'
TASK1_JS = r"""
const params = new URLSearchParams(window.location.search);
const socket = io({ auth: (send) => send({ name: params.get("name") }) });
const show = (text) => { document.querySelector("#status").innerText = text; };
socket.on("connect", () => show("connected"));
socket.on("connect_error", ({ message }) => show(`refused: ${message}`));
socket.on("news", ({ text }) => {
  const li = document.createElement("li");
  li.appendChild(document.createTextNode(text));
  document.querySelector("#news").appendChild(li);
});
"""
PAGES["task1"] = page_html(TASK1_JS, body=TASK1_BODY)
