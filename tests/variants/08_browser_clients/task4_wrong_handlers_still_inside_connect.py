# wrong: registered inside connect, the click listener and the count handler double after a reconnection
# expect: how many increments the server got
PAGES["task4"] = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Counter</title>
<script src="static/socket.io.min.js"></script>
</head><body>
<p>Count: <span id="count">?</span> <button id="plus">+1</button></p>
<ul id="log"></ul>
<script>
const socket = io({ auth: { name: "counter" } });
socket.on("connect", () => {
  document.getElementById("plus").addEventListener("click", () => socket.emit("increment"));
  socket.on("count", (total) => {
    document.getElementById("count").textContent = total;
    const item = document.createElement("li");
    item.textContent = total;
    document.getElementById("log").append(item);
  });
});
</script>
</body></html>
"""
