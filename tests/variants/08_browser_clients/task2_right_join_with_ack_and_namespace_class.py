# right: the page joins with emitWithAck before it listens; the bot is a ClientNamespace class
TASK2_BODY = '<input id="text"> <button id="send">Send</button> <ul id="messages"></ul>'
TASK2_JS = r"""
const socket = io({ auth: { name: new URLSearchParams(location.search).get("name") } });
socket.on("connect", async () => { await socket.emitWithAck("join", "lab"); });
socket.on("chat", ({ name, text }) => {
  document.getElementById("messages").insertAdjacentHTML("beforeend", "<li></li>");
  document.querySelector("#messages li:last-child").textContent = `${name}: ${text}`;
});
document.querySelector("#send").onclick = () =>
  socket.emit("chat", { room: "lab", text: document.querySelector("#text").value });
"""
PAGES["task2"] = page_html(TASK2_JS, body=TASK2_BODY)
# ---- next exercise cell ----
import socketio as python_socketio


class EchoBot(python_socketio.ClientNamespace):
    def on_connect(self):
        self.emit("join", "lab")

    def on_chat(self, message):
        if message["name"] != "bot":
            self.emit("chat", {"room": "lab", "text": f"echo: {message['text']}"})


bot = Client()
bot.register_namespace(EchoBot("/"))
