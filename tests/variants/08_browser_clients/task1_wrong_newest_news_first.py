# wrong: prepend() puts the newest news first; the task asks for the end of the list
# expect: the news in #news
TASK1_BODY = '<p id="status">loading</p> <ul id="news"></ul>'
TASK1_JS = r"""
const name = new URLSearchParams(location.search).get("name");
const socket = io({ auth: { name } });
const status = document.getElementById("status");
socket.on("connect", () => { status.textContent = "connected"; });
socket.on("connect_error", (err) => { status.textContent = "refused: " + err.message; });
socket.on("news", (news) => {
  const item = document.createElement("li");
  item.textContent = news.text;
  document.getElementById("news").prepend(item);
});
"""
PAGES["task1"] = page_html(TASK1_JS, body=TASK1_BODY)
