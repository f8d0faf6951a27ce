# wrong: client handlers get the event's data only, no sid: this one raises TypeError, no echo
# expect: carol did not receive 'chat'
TASK2_BODY = '<input id="text"> <button id="send">Send</button> <ul id="messages"></ul>'
TASK2_JS = r"""
const name = new URLSearchParams(location.search).get("name");
const socket = io({ auth: { name } });
const input = document.getElementById("text");
socket.on("connect", () => socket.emit("join", "lab"));
socket.on("chat", (message) => {
  const item = document.createElement("li");
  item.textContent = message.name + ": " + message.text;
  document.getElementById("messages").append(item);
});
document.getElementById("send").addEventListener("click", () => {
  socket.emit("chat", { room: "lab", text: input.value });
});
"""
PAGES["task2"] = page_html(TASK2_JS, body=TASK2_BODY)
# ---- next exercise cell ----
bot = Client()

@bot.event
def connect():
    bot.emit("join", "lab")

@bot.on("chat")
def on_chat(sid, message):
    if message["name"] != "bot":
        bot.emit("chat", {"room": "lab", "text": "echo: " + message["text"]})
