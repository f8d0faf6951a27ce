# right: still inside connect, but onclick= and off().on() replace instead of adding; absolute static path
PAGES["task4"] = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Counter</title>
<script src="/static/socket.io.min.js"></script>
</head><body>
<p>Count: <span id="count">?</span> <button id="plus">+1</button></p>
<ul id="log"></ul>
<script>
const socket = io({ auth: { name: "counter" } });
socket.on("connect", () => {
  document.getElementById("plus").onclick = () => socket.emit("increment");
  socket.off("count").on("count", (total) => {
    document.getElementById("count").textContent = total;
    const item = document.createElement("li");
    item.textContent = total;
    document.getElementById("log").append(item);
  });
});
</script>
</body></html>
"""
