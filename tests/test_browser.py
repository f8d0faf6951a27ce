"""The demo page end to end: headless Chromium, driven by Playwright, against the demo app.

The server runs in this process (``server.start_server``), as it does in a kernel. Every
check waits on something: Playwright's ``expect()`` retries until the page shows what is
expected, and ``Recorder.wait_for`` returns as soon as a Python client got its event.

Chromium: ``$CHROMIUM_PATH``, else ``chromium`` / ``chromium-browser`` on the PATH, else
the one ``python -m playwright install chromium`` downloads. Without one the tests are
skipped, unless ``FSL_REQUIRE_BROWSER=1`` (set in CI), which makes them fail instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import socketio

from server import record
from server.browser import CHROMIUM_ARGS

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # reported by the browser fixture: skip, or fail in CI
    expect = sync_playwright = None

# Upper bound for each wait, in seconds: a wait returns as soon as its event is there.
WAIT = 5
HOW_TO_ENABLE = (
    "Install one (`sudo apt-get install chromium`, or `python -m playwright install "
    "chromium`), or set CHROMIUM_PATH to its executable."
)


def _no_browser(reason: str):
    """Skip, or fail when the browser tests are required (``FSL_REQUIRE_BROWSER=1``)."""
    if os.environ.get("FSL_REQUIRE_BROWSER") == "1":
        pytest.fail(f"FSL_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the whole module (Playwright gives it a fresh profile)."""
    if sync_playwright is None:
        _no_browser("Playwright is not installed: `pip install playwright`.")
    path = os.environ.get("CHROMIUM_PATH")
    if path and not os.access(path, os.X_OK):
        _no_browser(f"CHROMIUM_PATH={path!r} is not an executable file. " + HOW_TO_ENABLE)
    path = path or shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as playwright:
        if path is None and os.path.exists(playwright.chromium.executable_path):
            path = playwright.chromium.executable_path  # from `playwright install chromium`
        if path is None:
            _no_browser("No Chromium found for the browser tests. " + HOW_TO_ENABLE)
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def srv(serve):
    return serve()


@pytest.fixture
def open_page(browser, serve):  # after serve: pages close before servers stop
    """Open the demo page of a server in a new tab (``open_page(srv)``); close it afterwards.

    Fails the test on any JavaScript error in the page.
    """
    contexts, errors = [], []

    def _open(server):
        context = browser.new_context(viewport={"width": 1100, "height": 800})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(5000)  # fail fast: every step here takes milliseconds
        page.on("pageerror", lambda error: errors.append(error))
        page.goto(f"{server.url}/?key={server.app.config['PAGE_KEY']}")
        expect(page.locator("#status")).to_have_text("connected")
        expect(log_entry(page, "Connected")).to_contain_text("#0")
        return page

    yield _open
    for context in contexts:
        context.close()  # its WebSockets close with it, before the server stops
    assert not errors, f"JavaScript errors in the page: {errors}"


@pytest.fixture
def python_client(srv):
    """A recorded python-socketio client connected to ``srv`` (disconnected afterwards)."""
    client = socketio.Client(reconnection=False)
    rec = record(client, "python")
    client.connect(srv.url, auth={"key": srv.app.config["PAGE_KEY"]}, transports=["websocket"],
                   wait_timeout=2)
    assert reply(rec)["data"] == "Connected"
    yield rec
    client.disconnect()


def reply(rec):
    """The data of the next ``my_response`` event the Python client receives."""
    return rec.wait_for("my_response", timeout=WAIT).data


def log_entry(page, text):
    """The log entries whose message is exactly ``text``."""
    return page.locator("#log li").filter(
        has=page.locator(".data", has_text=re.compile(rf"^{re.escape(text)}$"))
    )


def submit(page, button, **fields):
    """Fill the inputs named by id in ``fields``, then click ``button`` (its label)."""
    for field_id, value in fields.items():
        page.fill(f"#{field_id}", value)
    page.get_by_role("button", name=button, exact=True).click()


def test_page_upgrades_to_websocket_and_shows_latency(srv, open_page):
    page = open_page(srv)
    expect(page.locator("#transport")).to_have_text("websocket")
    expect(page.locator("#latency")).to_have_text(re.compile(r"^\d+\.\d$"))


def test_echo_counts_per_connection(srv, open_page):
    page = open_page(srv)
    submit(page, "Echo", emit_data="first")
    expect(log_entry(page, "first")).to_contain_text("#1")
    submit(page, "Echo", emit_data="second")
    expect(log_entry(page, "second")).to_contain_text("#2")


def test_broadcasts_reach_both_the_page_and_a_python_client(srv, open_page, python_client):
    page = open_page(srv)
    submit(page, "Broadcast", broadcast_data="from the browser")
    expect(log_entry(page, "from the browser")).to_contain_text("#1")
    assert reply(python_client) == {"data": "from the browser", "count": 1}

    python_client.client.emit("my_broadcast_event", {"data": "from Python"})
    assert reply(python_client)["data"] == "from Python"
    expect(log_entry(page, "from Python")).to_contain_text("#1")  # Python's count


def test_rooms_shared_by_the_page_and_a_python_client(srv, open_page, python_client):
    page = open_page(srv)
    python_client.client.emit("join", {"room": "lab"})
    assert reply(python_client)["data"].endswith(", lab")

    submit(page, "Join room", join_room="lab")
    expect(page.locator("#log li .data").first).to_have_text(re.compile(r"^In rooms: .*lab"))

    submit(page, "Send to room", room_name="lab", room_data="browser to room")
    assert reply(python_client)["data"] == "browser to room"
    expect(log_entry(page, "browser to room")).to_have_count(1)  # the page is in it too

    python_client.client.emit("my_room_event", {"room": "lab", "data": "python to room"})
    expect(log_entry(page, "python to room")).to_have_count(1)
    assert reply(python_client)["data"] == "python to room"

    submit(page, "Leave room", leave_room="lab")
    expect(page.locator("#log li .data").first).to_have_text(re.compile(r"^In rooms: [^,]+$"))
    python_client.client.emit("my_room_event", {"room": "lab", "data": "after leaving"})
    assert reply(python_client)["data"] == "after leaving"
    submit(page, "Echo", emit_data="fence")  # the page's events arrive in order:
    expect(log_entry(page, "fence")).to_have_count(1)  # had it got "after leaving", it is here
    expect(log_entry(page, "after leaving")).to_have_count(0)


def test_close_room_announces_to_everyone_in_it(srv, open_page, python_client):
    page = open_page(srv)
    python_client.client.emit("join", {"room": "lab"})
    reply(python_client)
    submit(page, "Join room", join_room="lab")
    expect(page.locator("#log li .data").first).to_have_text(re.compile(r"lab$"))

    submit(page, "Close room", close_room="lab")
    expect(log_entry(page, "Room lab is closing.")).to_have_count(1)
    assert reply(python_client)["data"] == "Room lab is closing."
    assert list(srv.socketio.server.manager.get_participants("/", "lab")) == []


def test_disconnect_is_acknowledged_then_done_by_the_server(srv, open_page):
    page = open_page(srv)
    submit(page, "Disconnect")
    expect(log_entry(page, "Disconnected!")).to_contain_text("#1")
    # "io server disconnect": the server closed it, after the page acknowledged.
    expect(page.locator("#status")).to_have_text("disconnected (io server disconnect)")
    expect(page.get_by_role("button", name="Echo")).to_be_disabled()

    page.get_by_role("button", name="Connect again").click()
    expect(page.locator("#status")).to_have_text("connected")
    expect(log_entry(page, "Connected")).to_have_count(2)


def test_server_generated_events_appear_in_the_log(serve, open_page):
    srv = serve(BACKGROUND_TASK_PERIOD=0.2)
    page = open_page(srv)
    ticks = page.locator("#log li.server")
    expect(ticks.first).to_contain_text("Server generated event")
    expect(ticks.nth(1)).to_be_visible()  # a second one: the task keeps going


# -- server.browser: the notebooks' and checks' way to drive Chromium ------------------------

from flask import Flask  # noqa: E402
from flask_socketio import ConnectionRefusedError, SocketIO  # noqa: E402

from server import start_server  # noqa: E402
from server import browser as kit_browser  # noqa: E402
from server.checks import CheckFailed, task  # noqa: E402


@pytest.fixture(scope="module")
def kit_chromium():
    """The kit's own browser thread (server.browser); closed after the module."""
    if kit_browser.find_chromium() is None or sync_playwright is None:
        _no_browser("No Chromium (or no Playwright) for server.browser. " + HOW_TO_ENABLE)
    yield
    kit_browser.close_browser()


@pytest.fixture
def page_app():
    """An app serving ``page_html(SCRIPT)`` at ``/``, refusing connections without a name."""
    app = Flask(__name__, static_folder=kit_browser.CLIENT_STATIC)
    app.config["SECRET_KEY"] = "test"
    sio = SocketIO(app, async_mode="threading")
    app.config["SCRIPT"] = ""

    @app.route("/")
    def index():
        return kit_browser.page_html(app.config["SCRIPT"], body='<p id="out"></p>')

    @sio.on("connect")
    def connect(auth):
        if not (auth or {}).get("name"):
            raise ConnectionRefusedError("name required", {"field": "name"})

    @sio.on("add")
    def add(a, b):
        return a + b

    return app


WATCH = """
window.seen = [];
window.socket = io({ auth: { name: "page" } });
socket.on("connect", () => seen.push("connect"));
socket.on("disconnect", (reason) => seen.push("disconnect: " + reason));
"""


def test_open_page_runs_javascript_and_reopening_closes_the_old_page(kit_chromium, page_app):
    page_app.config["SCRIPT"] = WATCH
    with start_server(page_app) as srv:
        page = kit_browser.open_page(srv, key="test:reopen")
        assert page.url == srv.url + "/" and page.proxied.endswith(f"/proxy/{srv.port}/")
        assert "proxy" in page._repr_html_()
        page.wait_for("seen.includes('connect')")
        assert page.evaluate("() => new Promise(r => socket.emit('add', 2, 3, r))") == 5
        assert page.evaluate("(n) => n * 2", 21) == 42
        again = kit_browser.open_page(srv, key="test:reopen")
        assert repr(page).endswith("closed>") and repr(again).endswith("open>")
        with pytest.raises(RuntimeError, match="closed"):
            page.evaluate("1")
        again.close()


EXIT_SCRIPT = """
from flask import Flask
from flask_socketio import SocketIO
from server import start_server, browser
app = Flask(__name__)
app.config["SECRET_KEY"] = "test"
SocketIO(app, async_mode="threading")
app.add_url_rule("/", "index", lambda: "<title>exit</title>")
page = browser.open_page(start_server(app), key="exit")
print(page.evaluate("document.title"))
"""


@pytest.fixture
def short_tmp():
    """A fresh temporary folder with a short path: Chromium puts its singleton socket in
    $TMPDIR, and a Unix socket path may not exceed 107 bytes (under pytest-xdist, tmp_path's
    own path is too long: "Socket path too long")."""
    folder = Path(tempfile.mkdtemp(prefix="fsl-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_script_that_exits_with_a_page_open_closes_the_browser_cleanly(kit_chromium, short_tmp):
    # The exit handler closes the page and the browser (until it ran on an executor, which
    # refuses work at exit: "Exception ignored in atexit callback ... cannot schedule new
    # futures after shutdown").
    tmp_path = short_tmp
    done = subprocess.run([sys.executable, "-c", EXIT_SCRIPT], capture_output=True, text=True,
                          timeout=60, cwd=Path(__file__).resolve().parent.parent,
                          env={**os.environ, "TMPDIR": str(tmp_path)})
    assert (done.returncode, done.stdout.strip()) == (0, "exit"), done.stderr
    assert "Exception ignored" not in done.stderr, done.stderr
    # Playwright's driver removes the browser's profile once the browser has exited, which
    # under load can be a moment after the script's own exit: wait for it, bounded.
    assert kit_browser.wait_until(lambda: not list(tmp_path.iterdir()), timeout=15, interval=0.05), \
        f"Chromium's temporary folders were left behind: {sorted(p.name for p in tmp_path.iterdir())}"


def test_waits_time_out_with_the_pages_console_errors(kit_chromium, page_app):
    page_app.config["SCRIPT"] = "console.error('something broke'); undefinedFunction();"
    with start_server(page_app) as srv, kit_browser.open_page(srv, key="test:timeouts") as page:
        with pytest.raises(kit_browser.BrowserTimeout, match="something broke"):
            page.wait_for("false", timeout=0.2)
        with pytest.raises(kit_browser.BrowserTimeout, match="did not settle"):
            page.evaluate("new Promise(() => {})", timeout=0.2)
        assert page.errors() == ["ReferenceError: undefinedFunction is not defined"]
        assert "error: something broke" in page.console()


def test_offline_and_dropped_connections_close_the_transport_and_reconnect(kit_chromium, page_app):
    page_app.config["SCRIPT"] = WATCH
    with start_server(page_app) as srv, kit_browser.open_page(srv, key="test:drop") as page:
        page.wait_for("seen.includes('connect')")
        page.set_offline(True)
        page.wait_for("seen.includes('disconnect: transport close')")
        page.set_offline(False)
        page.wait_for("seen.filter(s => s === 'connect').length === 2", timeout=5)
        page.wait_for("socket.io.engine.transport.name === 'websocket'")
        # The server learns of the offline page's closed socket only when its TCP connection
        # closes, which Chromium's offline emulation does not always do at once (in loaded
        # runs it was still open, once even after 5 s; at the latest the ping timeout, 45 s by
        # default, ends it): give it a moment, then cut whatever is open, the live one at least.
        eio = srv.socketio.server.eio
        kit_browser.wait_until(
            lambda: sum(not s.closed for s in list(eio.sockets.values())) == 1, timeout=5)
        assert kit_browser.drop_connections(srv) >= 1
        page.wait_for("seen.filter(s => s === 'connect').length === 3", timeout=8)
        assert page.evaluate("seen") == ["connect", "disconnect: transport close"] * 2 + ["connect"]


def test_check_helpers_fail_with_what_the_page_shows(kit_chromium, page_app):
    page_app.config["SCRIPT"] = "document.getElementById('out').textContent = 'nothing here';"
    with pytest.raises(CheckFailed) as failed:
        with task(1, "a page check") as t:
            t.start(page_app)
            with kit_browser.check_page(t, "/") as page:
                kit_browser.wait_in_page(t, page, "false", what="the page did not do it",
                                         show="document.getElementById('out').textContent",
                                         timeout=0.2, expected="it done")
    message = str(failed.value)
    assert message.startswith("❌ Task 1 is not done yet: the page did not do it.")
    assert "'nothing here'" in message and "no JavaScript error" in message


def test_wait_until_polls_until_true_or_timeout():
    flags = iter([False, False, True])
    assert kit_browser.wait_until(lambda: next(flags), timeout=1)
    assert not kit_browser.wait_until(lambda: False, timeout=0.05)
