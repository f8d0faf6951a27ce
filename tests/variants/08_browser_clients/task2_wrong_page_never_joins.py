# wrong: the page sends to lab without joining it, so it never hears the room
# expect: the page did not join lab
TASK2_BODY = '<input id="text"> <button id="send">Send</button> <ul id="messages"></ul>'
TASK2_JS = r"""
const name = new URLSearchParams(location.search).get("name");
const socket = io({ auth: { name } });
socket.on("chat", (message) => {
  const item = document.createElement("li");
  item.textContent = message.name + ": " + message.text;
  document.getElementById("messages").append(item);
});
document.getElementById("send").addEventListener("click", () => {
  socket.emit("chat", { room: "lab", text: document.getElementById("text").value });
});
"""
PAGES["task2"] = page_html(TASK2_JS, body=TASK2_BODY)
# ---- next exercise cell ----
bot = Client()

@bot.event
def connect():
    bot.emit("join", "lab")

@bot.on("chat")
def on_chat(message):
    if message["name"] != "bot":
        bot.emit("chat", {"room": "lab", "text": "echo: " + message["text"]})
