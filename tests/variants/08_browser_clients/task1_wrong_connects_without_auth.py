# wrong: io() without auth sends no name, so the server refuses the page
# expect: the page did not say 'connected'
TASK1_BODY = '<p id="status">loading</p> <ul id="news"></ul>'
TASK1_JS = r"""
const socket = io();
const status = document.getElementById("status");
socket.on("connect", () => { status.textContent = "connected"; });
socket.on("connect_error", (err) => { status.textContent = "refused: " + err.message; });
socket.on("news", (news) => {
  const item = document.createElement("li");
  item.textContent = news.text;
  document.getElementById("news").append(item);
});
"""
PAGES["task1"] = page_html(TASK1_JS, body=TASK1_BODY)
