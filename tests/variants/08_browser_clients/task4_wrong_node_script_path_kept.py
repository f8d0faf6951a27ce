# wrong: python-socketio does not serve /socket.io/socket.io.js: io is not defined
# expect: io is not defined
PAGES["task4"] = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Counter</title>
<script src="/socket.io/socket.io.js"></script>
</head><body>
<p>Count: <span id="count">?</span> <button id="plus">+1</button></p>
<ul id="log"></ul>
<script>
const socket = io({ auth: { name: "counter" } });
document.getElementById("plus").addEventListener("click", () => socket.emit("increment"));
socket.on("count", (total) => {
    document.getElementById("count").textContent = total;
    const item = document.createElement("li");
    item.textContent = total;
    document.getElementById("log").append(item);
});
</script>
</body></html>
"""
