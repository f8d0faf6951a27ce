# wrong: the page adds its own message on click AND when the server sends it back: shown twice
# expect: the page's #messages
TASK2_BODY = '<input id="text"> <button id="send">Send</button> <ul id="messages"></ul>'
TASK2_JS = r"""
const name = new URLSearchParams(location.search).get("name");
const socket = io({ auth: { name } });
const input = document.getElementById("text");
const show = (line) => {
  const item = document.createElement("li");
  item.textContent = line;
  document.getElementById("messages").append(item);
};
socket.on("connect", () => socket.emit("join", "lab"));
socket.on("chat", (message) => show(message.name + ": " + message.text));
document.getElementById("send").addEventListener("click", () => {
  show(name + ": " + input.value);          // at once, for a snappy page...
  socket.emit("chat", { room: "lab", text: input.value });
});
"""
PAGES["task2"] = page_html(TASK2_JS, body=TASK2_BODY)
