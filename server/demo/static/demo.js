// The demo page's Socket.IO client: one form per event the server handles (see app.py).
"use strict";

const MAX_LOG = 100;   // entries kept in the log
const SAMPLES = 30;    // ping/pong round trips averaged for the latency

const $ = (id) => document.getElementById(id);

// Same origin as the page. The path is computed relative to the page so that it also works
// behind a prefix (jupyter-server-proxy serves this page at /proxy/<port>/). The page's key
// (?key=... in its link) goes along in the CONNECT packet's auth: without it the server
// refuses the connection (on a shared host, another user must not drive this page's server).
const socket = io({
  path: new URL("socket.io", document.baseURI).pathname,
  auth: { key: new URLSearchParams(location.search).get("key") },
});

// --- what the server sends -------------------------------------------------------------

// Every reply is a my_response event: {data, count}. When the server asks for an ack
// (disconnect_request does), the last argument is a function: calling it sends the ack.
socket.on("my_response", (msg, ack) => {
  addToLog(msg);
  if (typeof ack === "function") ack();
});

function addToLog(msg) {
  const item = document.createElement("li");
  item.dataset.count = msg.count;
  if (msg.data === "Server generated event") item.className = "server";
  const count = document.createElement("span");
  count.className = "count";
  count.textContent = "#" + msg.count;
  const data = document.createElement("span");
  data.className = "data";
  data.textContent = msg.data;   // textContent, never innerHTML: data comes from other clients
  item.append(count, " ", data);
  const log = $("log");
  log.prepend(item);             // newest first
  while (log.children.length > MAX_LOG) log.lastElementChild.remove();
}

// --- connection state and transport ----------------------------------------------------

socket.on("connect", () => {
  setConnected(true, "connected");
  // Socket.IO starts with HTTP long-polling, then upgrades to WebSocket if it can.
  const engine = socket.io.engine;
  $("transport").textContent = engine.transport.name;
  engine.on("upgrade", (transport) => { $("transport").textContent = transport.name; });
  ping();
});

socket.on("disconnect", (reason) => {
  // "io server disconnect": the server closed it (no automatic reconnection then).
  setConnected(false, "disconnected (" + reason + ")");
  $("transport").textContent = "–";
});

socket.on("connect_error", (err) => {
  $("status").textContent = "cannot connect: " + err.message;
});

function setConnected(connected, text) {
  $("status").textContent = text;
  $("controls").disabled = !connected;
  $("connect_button").hidden = connected;
}

$("connect_button").addEventListener("click", () => socket.connect());

// --- latency: time my_ping -> my_pong, once a second ------------------------------------

const samples = [];
let pingSentAt = null;

function ping() {
  if (!socket.connected) return;
  pingSentAt = performance.now();
  socket.emit("my_ping");
}

socket.on("my_pong", () => {
  if (pingSentAt === null) return;
  samples.push(performance.now() - pingSentAt);
  pingSentAt = null;
  if (samples.length > SAMPLES) samples.shift();
  const average = samples.reduce((a, b) => a + b, 0) / samples.length;
  $("latency").textContent = average.toFixed(1);
});

setInterval(ping, 1000);

// --- the controls: each form emits one event -------------------------------------------

function onSubmit(formId, send) {
  $(formId).addEventListener("submit", (event) => {
    event.preventDefault();   // stay on the page: no HTTP form submission
    send();
  });
}

onSubmit("emit_form", () => socket.emit("my_event", { data: $("emit_data").value }));
onSubmit("broadcast_form", () =>
  socket.emit("my_broadcast_event", { data: $("broadcast_data").value }));
onSubmit("join_form", () => socket.emit("join", { room: $("join_room").value }));
onSubmit("leave_form", () => socket.emit("leave", { room: $("leave_room").value }));
onSubmit("send_room_form", () =>
  socket.emit("my_room_event", { room: $("room_name").value, data: $("room_data").value }));
onSubmit("close_form", () => socket.emit("close_room", { room: $("close_room").value }));
onSubmit("disconnect_form", () => socket.emit("disconnect_request"));
