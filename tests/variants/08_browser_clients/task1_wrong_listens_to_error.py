# wrong: the 2.x-era "error" event never fires for a refusal in client 4.x: it is connect_error
# expect: the refused page did not say why
TASK1_BODY = '<p id="status">loading</p> <ul id="news"></ul>'
TASK1_JS = r"""
const name = new URLSearchParams(location.search).get("name");
const socket = io({ auth: { name } });
const status = document.getElementById("status");
socket.on("connect", () => { status.textContent = "connected"; });
socket.on("error", (err) => { status.textContent = "refused: " + err.message; });
socket.on("news", (news) => {
  const item = document.createElement("li");
  item.textContent = news.text;
  document.getElementById("news").append(item);
});
"""
PAGES["task1"] = page_html(TASK1_JS, body=TASK1_BODY)
