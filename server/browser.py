"""A headless Chromium for notebooks: open a kernel server's page, run JavaScript in it.

``page = open_page(srv, "/")`` is the kit's one call for it: it starts Chromium (once per
kernel), opens the page in a fresh browser context, and returns a :class:`BrowserPage`
that any cell or check can use. Displayed in a notebook, the page shows two links: the
direct ``http://127.0.0.1:<port>/`` one, and the same page through jupyter-server-proxy
(``<base URL>proxy/<port>/``) for a JupyterHub or Binder, where ``127.0.0.1`` is not the
learner's machine.

Why a thread: Playwright's synchronous API refuses to run on a thread with a running asyncio
loop, and a kernel's main thread has one. So Chromium is driven from one worker thread of its
own, and every call on a :class:`BrowserPage` is handed to that thread (Playwright's objects
belong to the thread that created them). Nothing here sleeps for a fixed time: waits are
Playwright's ``wait_for_function`` or a JavaScript promise, each with a timeout.

Re-running a cell that calls :func:`open_page` closes the page that cell opened before; the
browser itself is closed when the kernel exits (or by :func:`close_browser`).
"""

from __future__ import annotations

import atexit
import html
import os
import queue
import shutil
import threading
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

__all__ = [
    "BrowserPage",
    "BrowserTimeout",
    "BrowserUnavailable",
    "CLIENT_STATIC",
    "close_browser",
    "drop_connections",
    "find_chromium",
    "open_page",
    "page_html",
    "check_page",
    "wait_in_page",
    "wait_until",
]

#: The folder that holds the vendored Socket.IO JavaScript client (``socket.io.min.js``):
#: give it to ``Flask(__name__, static_folder=CLIENT_STATIC)`` to serve the client.
CLIENT_STATIC = Path(__file__).resolve().parent / "demo" / "static"

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
HOW_TO_GET_ONE = (
    "install Chromium (`sudo apt-get install chromium`, or `python -m playwright install "
    "chromium`), or set CHROMIUM_PATH to its executable; and `pip install playwright`"
)
#: Upper bound for loading a page and for one browser step, in seconds.
STEP_TIMEOUT = 10.0


class BrowserUnavailable(RuntimeError):
    """No headless browser can be started: Playwright or Chromium is missing."""


class BrowserTimeout(TimeoutError):
    """A wait in the page ran out; the message includes the page's console errors."""


def find_chromium() -> str | None:
    """The Chromium executable to use, or ``None``.

    :returns: ``$CHROMIUM_PATH`` if set, else ``chromium`` or ``chromium-browser`` on the
        PATH, else the browser ``python -m playwright install chromium`` downloaded, else
        ``None``.
    """
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") \
        or shutil.which("chromium-browser")
    return path or _playwright_download()


def _playwright_download() -> str | None:
    root = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH", Path.home() / ".cache/ms-playwright"))
    for candidate in sorted(root.glob("chromium-*/chrome-linux*/chrome"), reverse=True):
        if os.access(candidate, os.X_OK):
            return str(candidate)
    return None


class _Chromium:
    """One headless Chromium and the worker thread that drives it (one per process)."""

    def __init__(self, executable: str):
        # A daemon thread with a queue, not a ThreadPoolExecutor: an executor refuses work
        # once the interpreter starts exiting ("cannot schedule new futures after interpreter
        # shutdown", before atexit handlers run), so the exit handler failed ("Exception
        # ignored in atexit callback") instead of closing the page and the browser.
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._work, name="chromium", daemon=True)
        self.thread.start()
        self.playwright, self.browser = self._submit(self._launch, executable).result(timeout=60)

    def _work(self):
        while (job := self._jobs.get()) is not None:
            future, fn, args = job
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(fn(*args))
                except BaseException as exc:  # handed to the caller, which re-raises it
                    future.set_exception(exc)

    def _submit(self, fn, *args) -> Future:
        future: Future = Future()
        self._jobs.put((future, fn, args))
        return future

    def _launch(self, executable):
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        try:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Exception:
            playwright.stop()
            raise
        return playwright, browser

    def call(self, fn, *args, timeout: float | None = None):
        """Run ``fn(*args)`` on the browser thread and return its result."""
        if threading.current_thread() is self.thread:
            return fn(*args)
        future = self._submit(fn, *args)
        try:
            return future.result(timeout)
        except FutureTimeout:
            raise BrowserTimeout(f"the browser did not answer within {timeout:g} s") from None

    def close(self) -> None:
        def stop():
            try:
                self.browser.close()
            finally:
                self.playwright.stop()

        try:
            self._submit(stop).result(timeout=15)
        finally:
            self._jobs.put(None)  # the thread ends


_lock = threading.Lock()
_chromium: _Chromium | None = None
_pages: dict[str, "BrowserPage"] = {}


def _browser() -> _Chromium:
    global _chromium
    with _lock:
        if _chromium is None:
            try:
                import playwright.sync_api  # noqa: F401
            except ImportError:
                raise BrowserUnavailable("Playwright is not installed: " + HOW_TO_GET_ONE) from None
            executable = find_chromium()
            if executable is None:
                raise BrowserUnavailable("no Chromium found: " + HOW_TO_GET_ONE)
            _chromium = _Chromium(executable)
        return _chromium


def close_browser() -> None:
    """Close every page and the browser (also done when the kernel exits). Safe to repeat."""
    global _chromium
    for page in list(_pages.values()):
        page.close()
    with _lock:
        chromium, _chromium = _chromium, None
    if chromium is not None:
        chromium.close()


atexit.register(close_browser)


class BrowserPage:
    """One tab of the headless Chromium, opened by :func:`open_page`; usable from any thread.

    Every method runs on the browser's own thread and returns when the step is done.

    :ivar url: the page's direct address, e.g. ``'http://127.0.0.1:54321/'``.
    :ivar proxied: the same page through jupyter-server-proxy, e.g. ``'/proxy/54321/'``
        (prefixed with ``$JUPYTERHUB_SERVICE_PREFIX`` on a JupyterHub or Binder).
    :ivar key: the registry key: opening another page with the same key closes this one.
    """

    def __init__(self, chromium: _Chromium, url: str, proxied: str, key: str):
        self.url, self.proxied, self.key = url, proxied, key
        self._chromium = chromium
        self._console: list[str] = []
        self._errors: list[str] = []
        self._socketio_requests: list[str] = []
        self._closed = False
        self._context = self._page = None
        self._call(self._open)

    # -- the browser thread's side ---------------------------------------------------------
    def _open(self):
        self._context = self._chromium.browser.new_context(viewport={"width": 1000, "height": 760})
        page = self._page = self._context.new_page()
        page.set_default_timeout(STEP_TIMEOUT * 1000)
        page.on("console", lambda m: self._console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self._errors.append(f"{e.name}: {e.message}"
                                                           if getattr(e, "name", "") else str(e)))
        page.on("request", self._note_request)
        page.on("websocket", lambda ws: "/socket.io/" in ws.url and self._socketio_requests
                .append("websocket " + urlsplit(ws.url).query))
        page.goto(self.url, wait_until="load")

    def _note_request(self, request) -> None:
        if "/socket.io/" in request.url:
            transport = parse_qs(urlsplit(request.url).query).get("transport", ["?"])[0]
            self._socketio_requests.append(transport)

    def _call(self, fn, *args, timeout: float = STEP_TIMEOUT + 5):
        if self._closed:
            raise RuntimeError("this page was closed: open a new one with open_page()")
        return self._chromium.call(fn, *args, timeout=timeout)

    # -- public ------------------------------------------------------------------------------
    def evaluate(self, script: str, arg=None, *, timeout: float = 5.0):
        """Run JavaScript in the page and return its value (as JSON turns it into Python).

        :param script: a JavaScript expression (``"socket.connected"``) or a function
            (``"(n) => socket.timeout(n).emitWithAck('x')"``), which gets ``arg``. A promise
            is awaited.
        :param arg: one JSON-serialisable argument for the function.
        :param timeout: how long a promise may take to settle, in seconds (default 5).
        :returns: the value; ``undefined`` becomes ``None``.
        :raises BrowserTimeout: if the promise has not settled after ``timeout`` seconds.
        :raises playwright.sync_api.Error: if the script throws, or its promise rejects
            (the message says with what).
        """
        wrapper = (
            "async ([arg, ms]) => { const value = (" + script + ");"
            " const run = typeof value === 'function' ? value(arg) : value;"
            " let timer; const late = new Promise((_, reject) => { timer = setTimeout("
            " () => reject(new Error('__fsl_timeout__')), ms); });"
            " try { return await Promise.race([Promise.resolve(run), late]); }"
            " finally { clearTimeout(timer); } }"
        )

        def run():
            return self._page.evaluate(wrapper, [arg, int(timeout * 1000)])

        try:
            return self._call(run, timeout=timeout + STEP_TIMEOUT)
        except Exception as exc:
            if "__fsl_timeout__" in str(exc):
                raise BrowserTimeout(self._timeout_message(f"{script} did not settle", timeout)) \
                    from None
            raise

    def wait_for(self, condition: str, arg=None, *, timeout: float = 5.0):
        """Wait until a JavaScript condition is truthy in the page; return its value.

        Playwright's ``page.wait_for_function``: it re-evaluates ``condition`` on every
        animation frame, so it returns within milliseconds of the condition becoming true.

        :param condition: a JavaScript expression or function (which gets ``arg``), e.g.
            ``"document.querySelectorAll('#log li').length >= 2"``.
        :param arg: one JSON-serialisable argument for the function.
        :param timeout: the upper bound, in seconds (default 5).
        :returns: the condition's (truthy) value.
        :raises BrowserTimeout: if it is still falsy after ``timeout`` seconds.
        """
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        def run():
            handle = self._page.wait_for_function(condition, arg=arg, timeout=timeout * 1000)
            return handle.json_value()

        try:
            return self._call(run, timeout=timeout + STEP_TIMEOUT)
        except PlaywrightTimeout:
            raise BrowserTimeout(self._timeout_message(f"{condition} stayed false", timeout)) \
                from None

    def text(self, selector: str) -> list[str]:
        """The text of every element matching a CSS selector, in document order.

        :param selector: e.g. ``"#log li"``.
        :returns: a list of strings (empty if nothing matches).
        """
        return self._call(lambda: self._page.locator(selector).all_inner_texts())

    def fill(self, selector: str, value: str) -> None:
        """Type ``value`` into the input matching ``selector``, as a user would.

        :param selector: a Playwright selector, e.g. ``"#text"``.
        :param value: the text to type.
        :raises playwright.sync_api.TimeoutError: if no such input appears in time.
        """
        self._call(lambda: self._page.fill(selector, value))

    def click(self, selector: str) -> None:
        """Click the element matching ``selector`` (a button, say), as a user would.

        :param selector: a Playwright selector, e.g. ``"button"``.
        :raises playwright.sync_api.TimeoutError: if no such element appears in time.
        """
        self._call(lambda: self._page.click(selector))

    def run(self, step):
        """Run ``step(page)`` with the Playwright ``Page`` itself, on the browser thread.

        For anything the methods above do not cover (``page.screenshot()``, say). Keep
        Playwright objects inside ``step``: they belong to the browser thread.

        :param step: a function of one argument, the ``playwright.sync_api.Page``.
        :returns: what ``step`` returns.
        """
        return self._call(step, self._page)

    def console(self) -> list[str]:
        """What the page logged to its console so far, as ``"type: text"`` lines.

        :returns: e.g. ``["log: connected", "error: Failed to load resource ..."]``.
        """
        self._call(lambda: self._page.evaluate("0"))  # let Playwright deliver pending events
        return list(self._console)

    def errors(self) -> list[str]:
        """The page's uncaught JavaScript errors so far (``ReferenceError: io is not defined``).

        :returns: a list of ``"Name: message"`` strings.
        """
        self._call(lambda: self._page.evaluate("0"))
        return list(self._errors)

    def problems(self) -> str:
        """The page's uncaught errors and console errors, on one line, or ``""`` if none.

        For learner-facing messages: what went wrong in the browser, as its console says.
        """
        lines = self.errors() + [line for line in self.console() if line.startswith("error:")]
        return " | ".join(dict.fromkeys(lines))

    def transports(self) -> list[str]:
        """The Engine.IO transports of the page's Socket.IO requests, first use first.

        :returns: e.g. ``['polling', 'websocket EIO=4&transport=websocket&sid=...']``:
            each HTTP long-polling request's transport, and each WebSocket's query string.
        """
        self._call(lambda: self._page.evaluate("0"))
        return list(dict.fromkeys(self._socketio_requests))

    def set_offline(self, offline: bool = True) -> None:
        """Cut (``True``) or restore (``False``) the page's network, as a lost Wi-Fi would.

        Playwright's ``BrowserContext.set_offline``: requests fail, and the page gets the
        browser's ``offline`` event. The Socket.IO client (engine.io-client) listens to it,
        for every host but ``localhost``, and closes at once with the reason
        ``"transport close"``; its Manager then retries until the network is back.

        :param offline: ``True`` to go offline, ``False`` to come back online.
        """
        self._call(lambda: self._context.set_offline(offline))

    def close(self) -> None:
        """Close the page (its connections close with it). Safe to call twice."""
        if self._closed:
            return
        try:
            if self._context is not None:
                self._call(self._context.close)
        except Exception:
            pass
        self._closed = True
        with _lock:
            if _pages.get(self.key) is self:
                del _pages[self.key]

    def _timeout_message(self, what: str, timeout: float) -> str:
        problems = self.problems()
        return f"{what} after {timeout:g} s" + (f"; the page's console: {problems}"
                                               if problems else "")

    def __enter__(self) -> "BrowserPage":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<BrowserPage {self.url} {'closed' if self._closed else 'open'}>"

    def _repr_html_(self) -> str:
        url, proxied = html.escape(self.url), html.escape(self.proxied)
        return (f'Open in Chromium (headless). Open it yourself: <a href="{url}" '
                f'target="_blank">{url}</a>, or through Jupyter: <a href="{proxied}" '
                f'target="_blank">{proxied}</a>')


def _caller_key() -> str:
    from .runner import _caller_key as runner_key

    return runner_key()


def open_page(target, path: str = "/", *, key: str | None = None) -> BrowserPage:
    """Open a page of a server in headless Chromium, as a learner's browser would.

    The kit's one call for a browser: it starts Chromium the first time (on a thread of
    its own), gives the page a fresh context (no cookies or cache from another page),
    loads it, and returns once the page's ``load`` event fired (its scripts have run; a
    Socket.IO connection may still be under way: wait for it with
    :meth:`BrowserPage.wait_for`).

    :param target: a :class:`~server.runner.ServerHandle` (``srv``) or a base URL string
        such as ``"http://127.0.0.1:5000"``.
    :param path: the page's path on that server, ``"/"`` by default; may include a query
        string (``"/page/chat?name=ada"``).
    :param key: registry key; defaults to the calling cell (or file and line), so that
        re-running a cell closes the page it opened before.
    :returns: the open :class:`BrowserPage`; ``page.url`` and ``page.proxied`` are its links.
    :raises BrowserUnavailable: if Playwright or Chromium is not installed (the message
        says how to get them).
    :raises playwright.sync_api.Error: if the page cannot be loaded within 10 s (the server
        is not running, say).
    """
    base = target if isinstance(target, str) else target.url
    url = base.rstrip("/") + "/" + path.lstrip("/")
    port = urlsplit(url).port
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")
    proxied = f"{prefix.rstrip('/')}/proxy/{port}/{path.lstrip('/')}"
    key = key or _caller_key()
    with _lock:
        stale = _pages.pop(key, None)
    if stale is not None:
        stale.close()
    page = BrowserPage(_browser(), url, proxied, key)
    with _lock:
        _pages[key] = page
    return page


def page_html(script: str, *, body: str = "", title: str = "Socket.IO page") -> str:
    """A whole HTML page that loads the vendored Socket.IO client, then runs ``script``.

    Serve it from a Flask route of an app created with
    ``Flask(__name__, static_folder=CLIENT_STATIC)``, at the root or one segment below it
    (``/``, ``/chat``): its URL for the client is relative (``static/socket.io.min.js``),
    so it resolves to ``/static/socket.io.min.js`` from there, and also works behind
    jupyter-server-proxy's path prefix.

    :param script: the page's JavaScript (runs after the body is parsed).
    :param body: HTML for the page's body, e.g. ``'<ul id="log"></ul>'``.
    :param title: the page's title.
    :returns: the HTML text.
    """
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n<link rel=\"icon\" href=\"data:,\">\n"
        "<script src=\"static/socket.io.min.js\"></script>\n</head>\n<body>\n"
        f"{body}\n<script>\n{script}\n</script>\n</body>\n</html>\n"
    )


def drop_connections(srv) -> int:
    """Cut every client's connection to ``srv`` with no Socket.IO goodbye, as a crash would:
    no Socket.IO DISCONNECT, no Engine.IO CLOSE packet; the WebSocket just closes.

    A JavaScript client then reports ``disconnect`` with the reason ``"transport close"``
    (or ``"transport error"``, depending on how the TCP connection ends) and its Manager
    starts reconnecting, whereas ``srv.stop()`` (or
    ``socketio.server.disconnect(sid)``) sends a DISCONNECT first and the page does not come
    back on its own ("io server disconnect"). The server keeps running. (Measured with
    this kit's Werkzeug server: Chromium reports the close about 2 s after the cut.)

    :param srv: a running :class:`~server.runner.ServerHandle`.
    :returns: how many Engine.IO connections were cut.
    """
    sockets = [s for s in list(srv.socketio.server.eio.sockets.values()) if not s.closed]
    for s in sockets:
        # abort=True: close without sending the CLOSE packet (engineio/socket.py, close()).
        s.close(wait=False, abort=True)
    return len(sockets)


# -- for exercise checks (server.checks) -----------------------------------------------------

def wait_until(predicate, timeout: float, interval: float = 0.005) -> bool:
    """Poll ``predicate()`` until it is true: a readiness probe for server-side state that
    has no event to wait on (who is in a room, say).

    :param predicate: a function of no arguments.
    :param timeout: the upper bound, in seconds.
    :param interval: seconds between two polls (default 5 ms).
    :returns: ``True`` as soon as ``predicate()`` is true, ``False`` after ``timeout``.
    """
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)
    return True


def check_page(t, path: str) -> BrowserPage:
    """Open ``path`` of the check's server (``t.server``) in Chromium, for task ``t``.

    Use it as ``with check_page(t, "/chat?name=ada") as page:`` inside the check's
    ``with task(...) as t:`` block, after ``t.start(app)``: the page closes before the
    check stops its servers. Re-running the check closes the page it opened before.

    :param t: the :class:`~server.checks.TaskCheck`.
    :param path: the page's path (and query string) on ``t.server``.
    :returns: the open :class:`BrowserPage`.
    :raises server.checks.CheckFailed: if no browser can be started, or the page does not
        load (with what the browser said).
    """
    try:
        return open_page(t.server, path, key=f"check:task-{t.number}:{path}")
    except BrowserUnavailable as exc:
        t.fail("this check needs a headless Chromium, and none can be started", got=str(exc))
    except Exception as exc:  # playwright.sync_api.Error: the page did not load
        t.fail(f"the page {path} did not load", got=str(exc).splitlines()[0])


def wait_in_page(t, page: BrowserPage, condition: str, *, what: str, show: str = "",
                 tried: str = "", expected: str = "", hint=None, timeout: float | None = None,
                 arg=None):
    """Wait for a JavaScript condition in a check's page, or fail the check saying why.

    :param t: the :class:`~server.checks.TaskCheck`.
    :param page: a page from :func:`check_page`.
    :param condition: a JavaScript expression or function (given ``arg``), e.g.
        ``"document.querySelectorAll('#news li').length >= 2"``.
    :param what: what did not happen, in words ("the page did not show the news").
    :param show: a JavaScript expression for what the page shows instead (the "Got" line),
        e.g. ``"[...document.querySelectorAll('#news li')].map(li => li.textContent)"``.
    :param tried: what the check did, in words.
    :param expected: what should have happened, in words.
    :param hint: the number of the hint to read if it fails.
    :param timeout: upper bound in seconds; default ``default_timeout() + 1`` (the check
        timeout, plus a second for the browser to load, connect and draw).
    :param arg: one JSON-serialisable argument for ``condition``.
    :returns: the condition's truthy value.
    :raises server.checks.CheckFailed: with what the page showed and its console errors.
    """
    from .checks import default_timeout

    if timeout is None:
        timeout = default_timeout() + 1.0
    try:
        return page.wait_for(condition, arg, timeout=timeout)
    except BrowserTimeout:
        pass
    got = []
    if show:
        try:
            got.append(f"the page shows {page.evaluate(show)!r}")
        except Exception as exc:
            got.append(f"could not read the page ({str(exc).splitlines()[0]})")
    problems = page.problems()
    got.append(f"the browser console says: {problems}" if problems
               else "no JavaScript error in the browser console")
    t.fail(what, tried=tried, got=f"after {timeout:g} s, " + "; ".join(got),
           expected=expected, hint=hint)
