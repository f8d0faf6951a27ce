"""Which settings bring an acknowledged WebSocket round trip close to a raw echo?

Prints, all measured in the same run and interleaved (every configuration once per round,
``ROUNDS`` rounds, so that a slow moment of the machine hits them all alike):

1. floors: a raw simple-websocket echo (the same server stack Engine.IO uses, nothing
   above it), the same echo with websocket-client as the client (what ``socketio.Client``
   uses), and a plain TCP echo;
2. ``client.call("echo", {"n": 1})`` with the stock configuration, with each setting alone,
   and with the tuned combination: options of ``SocketIO``, ``socketio.Client`` and
   Engine.IO, plus two pieces of application code (a WSGI middleware, a serializer class
   passed through the documented ``serializer=`` option). No library is modified;
3. "what would be needed" experiments, clearly labelled, which **monkeypatch** the
   libraries for the duration of one measurement (and restore them) to show how much each
   library-level change would gain. They are not a configuration to use.

For each: the median and p99 round trip in microseconds, the ratio of the median to the
raw echo's, and the process CPU time per round trip (client and server share the process,
as in a notebook): the path is CPU-bound, so CPU per round trip tracks the latency.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _measure as m  # noqa: E402
import engineio.client  # noqa: E402
import engineio.packet  # noqa: E402
import engineio.socket  # noqa: E402
import flask  # noqa: E402
import socketio.packet  # noqa: E402
import websocket  # noqa: E402
from engineio import json as engineio_json  # noqa: E402

from server import start_server  # noqa: E402

ROUNDS = 3
N = 600           # measured round trips per configuration and round
WARMUP = 100      # unmeasured round trips first
PAYLOAD = {"n": 1}
RAW_PAYLOAD = '42["echo",{"n":1}]'  # what the Socket.IO event looks like on the wire


# -- application-level settings (no library modified) -------------------------------------
class CachedJSON:
    """A ``json=`` module for Socket.IO: the stdlib codec, built once instead of per call.

    Engine.IO's default (``engineio.json``) calls ``json.loads(s, parse_int=...)`` and
    ``json.dumps(obj, separators=...)``, which build a new decoder/encoder each time. Same
    output, same 100-digit integer guard.
    """

    _encoder = json.JSONEncoder(separators=(",", ":"))
    _decoder = json.JSONDecoder(parse_int=engineio_json._safe_int)

    @staticmethod
    def dumps(obj, **kwargs) -> str:
        """Encode ``obj`` compactly (keyword arguments are ignored)."""
        return CachedJSON._encoder.encode(obj)

    @staticmethod
    def loads(text, **kwargs):
        """Decode ``text`` (keyword arguments are ignored)."""
        return CachedJSON._decoder.decode(text)


class LeanPacket(socketio.packet.Packet):
    """A Socket.IO packet class for ``serializer=``: same wire format, less work per packet.

    The stock ``Packet.data_is_binary`` walks the data recursively through
    ``functools.reduce`` and a list per level for every packet created; this walks it
    iteratively and stops at the first ``bytes``. Its JSON codec is :class:`CachedJSON`,
    set on this class only (``json=`` would change it process-wide).
    """

    json = CachedJSON

    @classmethod
    def data_is_binary(cls, data) -> bool:
        """Whether ``data`` contains ``bytes``/``bytearray`` anywhere."""
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, (bytes, bytearray)):
                return True
            if isinstance(item, (list, tuple)):
                stack.extend(item)
            elif isinstance(item, dict):
                stack.extend(item.values())
        return False


@contextlib.contextmanager
def process_wide_json(module) -> Iterator[None]:
    """Let a configuration pass ``json=module``, then undo its process-wide effect.

    ``SocketIO(json=...)`` and ``socketio.Client(json=...)`` assign ``Packet.json`` on the
    Socket.IO *and* Engine.IO packet classes: every server and client of the process
    changes, and stays changed after the server stops.
    """
    saved = socketio.packet.Packet.json, engineio.packet.Packet.json
    try:
        yield
    finally:
        socketio.packet.Packet.json, engineio.packet.Packet.json = saved


# -- "what would be needed": library changes, tried by monkeypatching ---------------------
@contextlib.contextmanager
def _patched(owner, name: str, replacement) -> Iterator[None]:
    original = owner.__dict__[name]
    setattr(owner, name, replacement)
    try:
        yield
    finally:
        setattr(owner, name, original)


def patch_client_inline_acks():
    """engineio/client.py ``Client._receive_packet``: every MESSAGE starts a thread
    (``run_async=True``). Here, Socket.IO ACK packets (``'3...'``) are dispatched on the
    read-loop thread; events keep their thread (a handler may block or ``call()``)."""
    original = engineio.client.Client._receive_packet

    def _receive_packet(self, pkt):
        if pkt.packet_type == engineio.packet.MESSAGE and isinstance(pkt.data, str) \
                and pkt.data[:1] == "3":
            return self._trigger_event("message", pkt.data, run_async=False)
        return original(self, pkt)

    return _patched(engineio.client.Client, "_receive_packet", _receive_packet)


def patch_client_direct_send():
    """engineio/client.py ``Client._send_packet`` queues every packet for the
    ``_write_loop`` thread. Here, on WebSocket with an empty queue, the calling thread
    sends it (websocket-client serializes concurrent sends: ``enable_multithread=True``)."""
    original = engineio.client.Client._send_packet

    def _send_packet(self, pkt):
        if (self.state == "connected" and self.current_transport == "websocket"
                and self.ws is not None and self.write_loop_task is not None
                and not pkt.binary and self.queue.empty()):
            self.ws.send(pkt.encode())
            return
        return original(self, pkt)

    return _patched(engineio.client.Client, "_send_packet", _send_packet)


@contextlib.contextmanager
def patch_server_direct_send() -> Iterator[None]:
    """engineio/socket.py ``Socket.send`` queues every packet for the per-connection
    ``writer`` thread of ``Socket._websocket_handler``. Here, MESSAGE packets to an
    upgraded WebSocket with an empty queue are sent by the emitting thread (a lock per
    socket; a real change would share it with the writer)."""
    cls = engineio.socket.Socket
    original_handler, original_send = cls._websocket_handler, cls.send

    def _websocket_handler(self, ws):
        self._bench_ws, self._bench_lock = ws, threading.Lock()
        return original_handler(self, ws)

    def send(self, pkt):
        ws = getattr(self, "_bench_ws", None)
        if (ws is not None and self.upgraded and not self.closing and not self.closed
                and pkt.packet_type == engineio.packet.MESSAGE and self.queue.empty()):
            with self._bench_lock:
                ws.send(pkt.encode())
            return
        return original_send(self, pkt)

    with _patched(cls, "_websocket_handler", _websocket_handler), _patched(cls, "send", send):
        yield


def patch_no_url_matching():
    """flask_socketio/__init__.py ``SocketIO._handle_event`` pushes
    ``app.request_context(environ)`` for every event; Flask then binds the URL map and
    matches the handshake URL (``Flask.create_url_adapter`` + ``RequestContext.match_request``)
    each time. Here, no URL adapter for Socket.IO requests (``url_for`` inside a handler
    would then need ``SERVER_NAME``); a real change would match once per connection."""
    original = flask.Flask.create_url_adapter

    def create_url_adapter(self, request):
        if request is not None and request.environ.get("PATH_INFO", "").startswith("/socket.io"):
            return None
        return original(self, request)

    return _patched(flask.Flask, "create_url_adapter", create_url_adapter)


@contextlib.contextmanager
def patches(*makers: Callable) -> Iterator[None]:
    """Apply several patch context managers together."""
    with contextlib.ExitStack() as stack:
        for make in makers:
            stack.enter_context(make())
        yield


# -- configurations -----------------------------------------------------------------------
SKIP_UTF8 = {"websocket_extra_options": {"skip_utf8_validation": True}}
TUNED_SERVER = {"async_handlers": False}
TUNED_CLIENT = SKIP_UTF8


@dataclass
class Config:
    """One way to run the echo round trip."""

    label: str
    server: dict = field(default_factory=dict)   # SocketIO(...) options
    client: dict = field(default_factory=dict)   # socketio.Client(...) options
    nodelay: bool = False                         # tcp_nodelay_middleware on the app
    context: Callable[[], contextlib.AbstractContextManager] = contextlib.nullcontext
    group: str = "setting"


CONFIGS = [
    Config("stock: SocketIO(app), Client()", group="stock"),
    Config("server async_handlers=False", {"async_handlers": False}),
    Config("server manage_session=False", {"manage_session": False}),
    Config("server always_connect=True", {"always_connect": True}),
    Config("server+client json=CachedJSON (process-wide)", {"json": CachedJSON},
           {"json": CachedJSON}, context=lambda: process_wide_json(CachedJSON)),
    Config("server+client serializer=LeanPacket", {"serializer": LeanPacket},
           {"serializer": LeanPacket}),
    Config("client skip_utf8_validation=True", client=SKIP_UTF8),
    Config("server TCP_NODELAY middleware", nodelay=True),
    Config("TUNED: async_handlers=False + skip_utf8_validation", TUNED_SERVER, TUNED_CLIENT,
           group="tuned"),
    Config("TUNED + serializer=LeanPacket", dict(TUNED_SERVER, serializer=LeanPacket),
           dict(TUNED_CLIENT, serializer=LeanPacket), group="tuned"),
    Config("E1 TUNED + client acks inline", TUNED_SERVER, TUNED_CLIENT,
           context=patch_client_inline_acks, group="experiment"),
    Config("E2 TUNED + client direct send", TUNED_SERVER, TUNED_CLIENT,
           context=patch_client_direct_send, group="experiment"),
    Config("E3 TUNED + server direct send", TUNED_SERVER, TUNED_CLIENT,
           context=patch_server_direct_send, group="experiment"),
    Config("E4 TUNED + no URL matching per event", TUNED_SERVER, TUNED_CLIENT,
           context=patch_no_url_matching, group="experiment"),
    Config("E1-E3 TUNED + no extra thread hops", TUNED_SERVER, TUNED_CLIENT,
           context=lambda: patches(patch_client_inline_acks, patch_client_direct_send,
                                   patch_server_direct_send), group="experiment"),
    Config("E1-E4 + LeanPacket", dict(TUNED_SERVER, serializer=LeanPacket),
           dict(TUNED_CLIENT, serializer=LeanPacket),
           context=lambda: patches(patch_client_inline_acks, patch_client_direct_send,
                                   patch_server_direct_send, patch_no_url_matching),
           group="experiment"),
]


# -- where the time goes: each step alone -------------------------------------------------
def _per_op_us(fn: Callable[[], object], n: int, repeat: int = 5) -> float:
    """Microseconds per call of ``fn``: the best of ``repeat`` runs of ``n // repeat`` calls
    (as ``timeit`` does: slower runs measure the machine's other work, not ``fn``)."""
    fn()
    best = float("inf")
    per_run = max(1, n // repeat)
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(per_run):
            fn()
        best = min(best, (time.perf_counter() - t0) / per_run)
    return best * 1e6


def step_costs() -> list[tuple]:
    """Time, in isolation, each step an acknowledged round trip goes through.

    :returns: table rows ``(step, where, us per op, times per round trip stock, tuned)``.
    """
    import queue

    from werkzeug.test import EnvironBuilder

    rows = []

    def noop():
        pass

    def spawn():
        t = threading.Thread(target=noop, daemon=True)
        t.start()
        t.join()

    rows.append(("new thread: start() + join(), no work", "client per message; server per "
                 "event if async_handlers", _per_op_us(spawn, 1000), 2, 1))

    requests, replies = queue.Queue(), queue.Queue()

    def echo_thread():
        while (item := requests.get()) is not None:
            replies.put(item)

    helper = threading.Thread(target=echo_thread, daemon=True)
    helper.start()
    hop = _per_op_us(lambda: (requests.put(1), replies.get()), 3000) / 2
    requests.put(None)
    helper.join()
    rows.append(("queue hand-off to another thread (one way)", "client write loop; server "
                 "writer thread (not in the raw echo)", hop, 2, 2))

    app, _ = m.echo_app()
    environ = EnvironBuilder(path="/socket.io/", query_string="EIO=4&transport=websocket").get_environ()

    def request_context():
        with app.request_context(environ):
            pass

    with_url = _per_op_us(request_context, 3000)
    with patch_no_url_matching():
        without_url = _per_op_us(request_context, 3000)
    rows.append(("Flask app.request_context() push+pop", "flask_socketio _handle_event",
                 with_url, 1, 1))
    rows.append(("  of which URL map bind + match", "Flask.create_url_adapter",
                 with_url - without_url, 1, 1))

    def sio_packets():
        event = socketio.packet.Packet(socketio.packet.EVENT, data=["echo", PAYLOAD], id=1)
        socketio.packet.Packet(encoded_packet=event.encode())
        ack = socketio.packet.Packet(socketio.packet.ACK, data=[PAYLOAD], id=1)
        socketio.packet.Packet(encoded_packet=ack.encode())

    rows.append(("Socket.IO packets: event + ack, encode + decode", "socketio/packet.py",
                 _per_op_us(sio_packets, 5000), 1, 1))

    def eio_packet():
        pkt = engineio.packet.Packet(engineio.packet.MESSAGE, data=RAW_PAYLOAD[1:])
        engineio.packet.Packet(encoded_packet=pkt.encode())

    rows.append(("Engine.IO packet encode + decode", "engineio/packet.py",
                 _per_op_us(eio_packet, 5000), 2, 2))

    def frame():
        websocket.ABNF.create_frame(RAW_PAYLOAD, websocket.ABNF.OPCODE_TEXT).format()

    rows.append(("websocket-client frame: build + mask", "client send (raw floor: wsproto)",
                 _per_op_us(frame, 5000), 1, 1))
    return rows


# -- measuring ----------------------------------------------------------------------------
@dataclass
class Sample:
    """The round trips of one configuration in one round."""

    durations: list[float]
    cpu_per_call_s: float


def _measure(call: Callable[[], object]) -> Sample:
    m.time_calls(call, 0, warmup=WARMUP)
    cpu0 = time.process_time()
    durations = m.time_calls(call, N, warmup=0)
    return Sample(durations, (time.process_time() - cpu0) / N)


def measure_config(cfg: Config) -> Sample:
    """Start a server configured as ``cfg``, connect one client, time ``N`` calls, stop.

    :param cfg: the configuration.
    :returns: the :class:`Sample`.
    :raises AssertionError: if an ack does not echo its payload.
    """
    with cfg.context():
        app, _ = m.echo_app(**cfg.server)
        if cfg.nodelay:
            m.tcp_nodelay_middleware(app)
        srv = start_server(app, key="bench-tuning")
        try:
            client = m.socketio_client(srv.url, **cfg.client)
            assert client.call("echo", PAYLOAD, timeout=5) == PAYLOAD
            return _measure(lambda: client.call("echo", PAYLOAD, timeout=5))
        finally:
            srv.stop()  # server side first: no 3 s client close, no leftover socket


def measure_raw_simple_websocket(url: str) -> Sample:
    """Echo round trips with ``simple_websocket.Client`` (the floor)."""
    import simple_websocket

    ws = simple_websocket.Client.connect(url)
    try:
        def once():
            ws.send(RAW_PAYLOAD)
            if ws.receive(timeout=5) is None:
                raise RuntimeError("no echo within 5 s")
        return _measure(once)
    finally:
        ws.close()


def measure_raw_websocket_client(url: str) -> Sample:
    """Echo round trips with websocket-client, the library ``socketio.Client`` uses."""
    ws = websocket.create_connection(url, timeout=5)
    try:
        def once():
            ws.send(RAW_PAYLOAD)
            ws.recv()
        return _measure(once)
    finally:
        ws.close(timeout=0)


def measure_tcp(port: int) -> Sample:
    """Echo round trips over a plain loopback TCP connection."""
    durations = m.tcp_round_trips(port, N)
    return Sample(durations, float("nan"))


def main() -> None:
    """Measure every configuration ``ROUNDS`` times, interleaved, and print the table."""
    began = time.perf_counter()
    floors = ["raw echo: simple_websocket Client -> Server", "raw echo: websocket-client -> simple_websocket",
              "plain TCP echo"]
    samples: dict[str, list[Sample]] = {label: [] for label in floors}
    samples.update({cfg.label: [] for cfg in CONFIGS})
    with m.raw_websocket_echo_server() as url, m.tcp_echo_server() as port:
        for _ in range(ROUNDS):
            samples[floors[0]].append(measure_raw_simple_websocket(url))
            samples[floors[1]].append(measure_raw_websocket_client(url))
            samples[floors[2]].append(measure_tcp(port))
            for cfg in CONFIGS:
                samples[cfg.label].append(measure_config(cfg))

    def pooled(label: str) -> tuple[m.Stats, float]:
        durations = [d for s in samples[label] for d in s.durations]
        cpu = statistics.median(s.cpu_per_call_s for s in samples[label]) * 1e6
        return m.stats(durations), cpu

    raw, _ = pooled(floors[0])
    rows = []
    groups = {label: "floor" for label in floors} | {cfg.label: cfg.group for cfg in CONFIGS}
    for label in samples:
        st, cpu = pooled(label)
        rows.append((label, groups[label], st.n, st.median_ms * 1000, st.p99_ms * 1000,
                     f"{st.median_ms / raw.median_ms:.2f}x", "-" if cpu != cpu else f"{cpu:.0f}"))
    m.print_table(
        f"acknowledged round trip client.call('echo', {PAYLOAD}) vs raw echo "
        f"({ROUNDS} interleaved rounds x {N}; E* rows monkeypatch the libraries; "
        f"load average {os.getloadavg()[0]:.1f})",
        ("configuration", "kind", "N", "median (us)", "p99 (us)", "median / raw echo",
         "CPU/round trip (us)"),
        rows,
    )
    steps = step_costs()
    m.print_table(
        "where the time goes: each step alone, best of 5 runs (stock/tuned: times paid per round trip)",
        ("step", "where", "us per op", "stock", "tuned"),
        [(label, where, us, stock_n, tuned_n) for label, where, us, stock_n, tuned_n in steps],
    )
    stock, _ = pooled(CONFIGS[0].label)
    tuned, _ = pooled("TUNED: async_handlers=False + skip_utf8_validation")
    print(f"tuned: {tuned.median_ms * 1000:.0f} us = {tuned.median_ms / raw.median_ms:.1f}x raw echo "
          f"(stock {stock.median_ms / raw.median_ms:.1f}x); target 2.0x")
    print(f"total run time: {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
