"""Lesson 10 (deploying) end to end: real gunicorn (threads, gevent) from .venv-deploy, real nginx.

* the generated ``nginx.conf`` (listen address, upstream, TLS lines) and nginx's own verdict
  on it (``nginx -t``);
* gunicorn in threading and in gevent mode serves the chat over WebSocket;
* headless Chromium loads the chat through nginx over ``https://`` and connects over
  ``wss://`` (trusting the lesson's CA by its key), and so do a Python client and an
  ``AsyncClient``, which makes a call;
* running a start again stops what the first run started, and ``cleanup`` leaves no process.

Without nginx, Redis or Chromium these tests are skipped (root ``conftest.py``), unless
``FSL_REQUIRE_NGINX=1`` / ``FSL_REQUIRE_REDIS=1`` / ``FSL_REQUIRE_BROWSER=1`` (CI).
"""

from __future__ import annotations

import asyncio
import ssl
import threading

import aiohttp
import psutil
import pytest
import requests
import socketio

from server import cleanup
from server.deploy import connection_report, start_gunicorn
from server.nginx import NginxConfigError, docs_locations, nginx_conf, start_nginx
from server.page_probe import probe_pages
from server.tls import make_certificates, trusting_session

TAG = "test_deploy"
FORWARDED = "include proxy_params;\n    proxy_set_header X-Forwarded-Host $host:$server_port;"
LOCATIONS = docs_locations("http://chat").replace("include proxy_params;", FORWARDED)


@pytest.fixture(scope="module")
def chat():
    """One threaded gunicorn serving apps/chat, for the whole module."""
    cleanup(tag=TAG)
    server = start_gunicorn("-w", "1", "--threads", "100", env={"CHAT_ASYNC_MODE": "threading"},
                            name="test chat", tag=TAG, key="test_deploy:chat")
    yield server
    cleanup(tag=TAG)


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    return make_certificates(tmp_path_factory.mktemp("tls"))


def test_nginx_conf_listens_on_loopback_with_the_upstream_and_tls():
    conf = nginx_conf(LOCATIONS, port=8443, upstream_ports=[5001, 5002],
                      tls=("/x/server.pem", "/x/server.key"))
    assert "listen 127.0.0.1:8443 ssl;" in conf
    assert "upstream chat {\n        ip_hash;\n        server 127.0.0.1:5001;\n" \
           "        server 127.0.0.1:5002;\n    }" in conf
    assert "ssl_certificate /x/server.pem;" in conf and "ssl_certificate_key /x/server.key;" in conf
    assert "proxy_pass http://chat/socket.io;" in conf
    plain = nginx_conf(LOCATIONS, port=8080, upstream_ports=[5001], ip_hash=False)
    assert "ssl" not in plain and "ip_hash" not in plain and "listen 127.0.0.1:8080;" in plain


def test_nginx_refuses_a_broken_config_with_its_own_message():
    with pytest.raises(NginxConfigError, match="unknown directive"):
        start_nginx("location / { proxy_passs http://chat; }", upstream_ports=[5001],
                    tag=TAG, key="test_deploy:broken")


@pytest.mark.parametrize("options,mode", [
    (("-w", "1", "--threads", "100"), "threading"),
    (("-k", "gevent", "-w", "1"), "gevent"),
])
def test_gunicorn_serves_the_chat_over_websocket(options, mode):
    env = {"CHAT_ASYNC_MODE": "threading"} if mode == "threading" else {}
    with start_gunicorn(*options, env=env, name=f"test {mode}", tag=TAG,
                        key=f"test_deploy:{mode}") as server:
        assert requests.get(server.url + "/health", timeout=5).json()["async_mode"] == mode
        assert connection_report(server.url) == {
            "client": "websocket", "websocket_only": "101 Switching Protocols",
            "polling_with_origin": "200"}


def test_debian_proxy_params_refuse_the_origin_and_the_forwarded_host_fixes_it(chat):
    with start_nginx(docs_locations("http://chat"), upstream_ports=[chat.port], tag=TAG,
                     key="test_deploy:docs") as proxy:
        report = connection_report(proxy.url)
    assert report["polling_with_origin"] == '400 "Not an accepted origin."'
    assert report["client"] == "polling"
    with start_nginx(LOCATIONS, upstream_ports=[chat.port], tag=TAG,
                     key="test_deploy:fixed") as proxy:
        assert connection_report(proxy.url)["client"] == "websocket"


async def _async_call_over_wss(url: str, ca) -> tuple[str, str]:
    """Connect ``socketio.AsyncClient`` to ``url`` trusting ``ca``; return (transport, ack of say)."""
    context = ssl.create_default_context(cafile=str(ca))
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context)) as http:
        client = socketio.AsyncClient(http_session=http, reconnection=False)
        await client.connect(url, auth={"user": "grace"}, wait_timeout=15)
        try:
            return client.transport(), await client.call("say", "over wss", timeout=15)
        finally:
            await client.disconnect()


def test_chromium_and_a_python_client_connect_through_nginx_over_https(chat, certs):
    with start_nginx(LOCATIONS, upstream_ports=[chat.port], tls=(certs.cert, certs.key),
                     tag=TAG, key="test_deploy:tls") as proxy:
        assert proxy.url.startswith("https://")
        (page,) = probe_pages([proxy.url + "/?user=browser"], spki=certs.spki_sha256)
        assert (page["status"], page["transport"], page["errors"]) == (
            "connected over websocket", "websocket", [])
        session = trusting_session(certs.ca)
        client = socketio.Client(http_session=session, reconnection=False)
        welcomed = threading.Event()
        client.on("welcome", lambda data: welcomed.set())
        client.connect(proxy.url, auth={"user": "ada"}, wait_timeout=15)
        try:
            assert client.transport() == "websocket"
            # The threaded Client only listens here: over wss:// a write right after a read
            # now and then drops its connection (one SSL socket, two threads: python-socketio
            # #1568, appendix 10a). What the server said on connect arrives all the same.
            assert welcomed.wait(15), "no 'welcome' event over wss:// within 15 s"
        finally:
            client.disconnect()
            session.close()
        # AsyncClient (one thread) is what appendix 10a recommends for calls over wss://.
        assert asyncio.run(_async_call_over_wss(proxy.url, certs.ca)) == ("websocket", "ok")
        # Without the key pinned, Chromium refuses the lesson's certificate.
        (refused,) = probe_pages([proxy.url + "/"])
        assert "ERR_CERT_AUTHORITY_INVALID" in refused["status"]


def test_starting_again_stops_the_first_and_cleanup_leaves_nothing(chat):
    first = start_nginx(LOCATIONS, upstream_ports=[chat.port], tag=TAG, key="test_deploy:again")
    family = [psutil.Process(first.pid), *psutil.Process(first.pid).children(recursive=True)]
    second = start_nginx(LOCATIONS, upstream_ports=[chat.port], tag=TAG, key="test_deploy:again")
    assert not first.running and second.running
    assert not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in family)
    assert not first.prefix.exists()  # its prefix (config, logs, pid file) is removed
    mine = {second.pid, chat.pid}
    stopped = cleanup(tag=TAG)
    assert {"nginx", "test chat"} <= set(stopped)
    alive = [p for p in psutil.Process().children(recursive=True) if p.pid in mine]
    assert alive == []
