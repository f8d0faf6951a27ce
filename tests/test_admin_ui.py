"""The vendored Socket.IO Admin UI, end to end: served by the kit, logged into from Chromium.

The server runs in this process (``server.start_server``), instrumented with
``server.admin_ui.instrument`` (python-socketio's ``Server.instrument``) and serving the page
with ``server.admin_ui.blueprint``. Headless Chromium opens the page, logs in with the
random password, and must find the connected Python clients and their rooms. Every request
the page makes is recorded: none may leave 127.0.0.1 (the page's fonts and icons are
vendored; upstream loads them from Google Fonts and jsDelivr).

Chromium is found and skipped (or failed, with ``FSL_REQUIRE_BROWSER=1``) exactly as in
``tests/test_browser.py``.
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

import pytest
import socketio
from flask import Flask
from flask_socketio import SocketIO, join_room

from server import start_server
from server.admin_ui import ADMIN_UI_VERSION, STATIC, blueprint, instrument

from test_browser import browser  # noqa: F401 - its Chromium fixture, one per module

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips or fails
    expect = None

CDN = re.compile(r"https?://(?!127\.0\.0\.1|localhost)[A-Za-z0-9.-]+\.[a-z]{2,}")


@pytest.fixture
def monitored():
    """A server with two Python clients in rooms, the Admin UI page and its monitoring on."""
    app = Flask(__name__)
    app.config["SECRET_KEY"] = secrets.token_hex(16)
    sio = SocketIO(app, async_mode="threading")
    app.register_blueprint(blueprint())

    @sio.on("join")
    def on_join(room):
        join_room(room)
        return room

    admin = instrument(sio, server_stats_interval=0.5)
    srv = start_server(app, key="test_admin_ui")
    clients = {}
    for name, room in [("ada", "lobby"), ("bob", "kitchen")]:
        client = socketio.Client(reconnection=False)
        client.connect(srv.url, transports=["websocket"], wait_timeout=2)
        assert client.call("join", room, timeout=2) == room
        clients[name] = client
    yield srv, admin, clients
    srv.stop()
    admin.close()
    for client in clients.values():
        if client.connected:
            client.disconnect()


@pytest.fixture
def page(browser, monitored):  # noqa: F811 - after monitored: the page closes first
    """A fresh Chromium page that records the URL of every request it makes."""
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    page = context.new_page()
    page.set_default_timeout(5000)
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("websocket", lambda ws: page.requests.append(ws.url))
    yield page
    context.close()


def log_in(page, srv, username, password):
    page.goto(srv.url + "/admin-ui/")
    page.get_by_label("Server URL").fill(srv.url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Connect").click()


def test_the_page_finds_the_python_clients_their_rooms_and_events(page, monitored):
    srv, admin, clients = monitored
    log_in(page, srv, admin.username, admin.password)
    expect(page.locator("text=/^\\s*connected\\s*$/i >> visible=true")).to_have_count(1)
    expect(page.get_by_text(ADMIN_UI_VERSION, exact=True)).to_be_visible()

    page.goto(srv.url + "/admin-ui/#/sockets")
    for client in clients.values():
        expect(page.get_by_text(client.get_sid(), exact=True)).to_be_visible()

    page.goto(srv.url + "/admin-ui/#/rooms")
    for room in ("lobby", "kitchen"):
        expect(page.get_by_text(room, exact=True)).to_be_visible()

    clients["ada"].call("join", "garden", timeout=2)      # seen live, in the Events view
    page.goto(srv.url + "/admin-ui/#/events")
    expect(page.get_by_text("Room: garden")).to_be_visible()
    expect(page.get_by_text("Event name: join").first).to_be_visible()

    hosts = {urlsplit(url).hostname for url in page.requests}
    assert hosts == {"127.0.0.1"}, f"requests left the machine: {sorted(page.requests)}"
    # the page's own files, its fonts and its icons were all loaded from the kit's server
    paths = {urlsplit(url).path for url in page.requests}
    assert "/admin-ui/vendor/roboto/roboto.css" in paths
    assert "/admin-ui/vendor/mdi/fonts/materialdesignicons-webfont.woff2" in paths
    assert any(p.startswith("/admin-ui/vendor/roboto/files/") for p in paths)


def test_a_wrong_password_is_refused(page, monitored):
    srv, admin, _ = monitored
    log_in(page, srv, admin.username, "not-" + admin.password)
    # python-socketio refuses with "authentication failed" (socketio/admin.py, admin_connect);
    # the UI translates only the Node server's "invalid credentials", so it shows the raw text
    expect(page.get_by_text("Error: authentication failed")).to_be_visible()


def test_instrument_picks_a_random_password_and_can_be_turned_off(monitored):
    srv, admin, _ = monitored
    assert len(admin.password) >= 16
    client = socketio.Client(reconnection=False)
    client.connect(srv.url, namespaces=["/admin"], auth=admin.auth,
                   transports=["websocket"], wait_timeout=2)
    assert client.connected  # left connected: srv.stop() disconnects it (fast, server side)
    admin.close()
    admin.close()  # safe to repeat
    assert "/admin" not in srv.socketio.server.handlers
    refused = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        refused.connect(srv.url, namespaces=["/admin"], auth=admin.auth,
                        transports=["websocket"], wait_timeout=1)


def test_nothing_vendored_points_at_a_cdn():
    for path in list(STATIC.rglob("*.html")) + list(STATIC.rglob("*.css")):
        found = CDN.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path.relative_to(STATIC)} loads from {found}"
    for licence in ("admin-ui.LICENSE", "vendor/mdi/LICENSE", "vendor/roboto/LICENSE"):
        assert (STATIC / licence).is_file()
