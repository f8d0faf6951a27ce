"""Load a page in headless Chromium, in a process of its own, and report its Socket.IO connection.

Run as ``python -m server.page_probe URL... [--spki HASH]``; prints a JSON list with, per
page, ``{"url": ..., "status": <the page's #status text>, "transport": "websocket" |
"polling" | "none", "errors": [<console errors>]}``. :func:`probe_pages` runs it.

Why a process: Playwright's synchronous API refuses to run where an asyncio loop runs (a
kernel's main thread), and a browser that hangs is easiest to stop as a whole process.

Trusting the lesson's CA: Playwright has no option to add a CA, and Chromium on Linux reads
extra CAs from the user's NSS database (``~/.pki/nssdb``, needs ``certutil``). Instead the
probe passes ``--ignore-certificate-errors-spki-list=HASH``: Chromium then accepts a
certificate chain only if it contains that exact public key (the server key's SHA-256 SPKI
hash, :attr:`server.tls.Certificates.spki_sha256`), which is certificate pinning, not
``ignore_https_errors``: any other certificate is still refused.

The page is the chat's ``templates/index.html``: it writes its state into ``#status``
("connected over websocket", "connected over polling (the WebSocket upgrade failed)",
"connection refused: ...").
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

from .browser import CHROMIUM_ARGS, find_chromium  # one list of flags, one way to find it

__all__ = ["BrowserMissing", "find_chromium", "probe_page", "probe_pages"]

HOW_TO_GET_ONE = (
    "install Chromium (`sudo apt-get install chromium`), or set CHROMIUM_PATH to its "
    "executable; and `pip install playwright`"
)


class BrowserMissing(RuntimeError):
    """Playwright or Chromium is missing; the message says how to get them."""


_FINAL = """() => {
    const s = document.getElementById('status');
    return s && (s.textContent.startsWith('connected over websocket')
                 || s.textContent.includes('upgrade failed')
                 || s.textContent.startsWith('connection refused'));
}"""


def _load(browser, url: str, timeout: float) -> dict:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    errors: list[str] = []
    context = browser.new_context()
    try:
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        try:
            page.goto(url, wait_until="load", timeout=timeout * 1000)
        except Exception as exc:  # an https error, a refused connection
            return {"url": url, "status": f"page not loaded: {str(exc).splitlines()[0]}",
                    "transport": "none", "errors": errors}
        try:
            page.wait_for_function(_FINAL, timeout=timeout * 1000)
        except PlaywrightTimeout:
            pass
        status = page.eval_on_selector("#status", "e => e.textContent")
        transport = page.evaluate("() => window.chat ? window.chat.transport() : 'none'")
        return {"url": url, "status": status, "transport": transport, "errors": errors}
    finally:
        context.close()


def _run(urls: list[str], spki: str | None, timeout: float) -> list[dict]:
    from playwright.sync_api import sync_playwright

    args = list(CHROMIUM_ARGS)
    if spki:
        args.append(f"--ignore-certificate-errors-spki-list={spki}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=args)
        try:
            return [_load(browser, url, timeout) for url in urls]
        finally:
            browser.close()


def probe_pages(urls, *, spki: str | None = None, timeout: float = 10.0) -> list[dict]:
    """Load each page in one fresh headless Chromium and report how its Socket.IO client connected.

    One browser serves all the pages (each in its own fresh context), because starting
    Playwright and Chromium is what costs time (1-5 s).

    :param urls: the pages, e.g. ``["https://127.0.0.1:8443/?user=ada"]``.
    :param spki: trust exactly this server key (:attr:`server.tls.Certificates.spki_sha256`)
        for ``https://`` pages signed by the lesson's CA; ``None`` for ``http://`` only.
    :param timeout: upper bound for loading one page and for its connection to settle,
        in seconds (default 10.0).
    :returns: one ``{"url", "status", "transport", "errors"}`` dict per page, in order
        (see the module doc).
    :raises BrowserMissing: if Playwright or Chromium is missing.
    :raises RuntimeError: if the probe process fails or takes too long.
    """
    urls = list(urls)
    try:
        import playwright  # noqa: F401
    except ImportError:
        raise BrowserMissing("Playwright is not installed: " + HOW_TO_GET_ONE) from None
    if find_chromium() is None:
        raise BrowserMissing("no Chromium found: " + HOW_TO_GET_ONE)
    command = [sys.executable, "-m", "server.page_probe", "--timeout", str(timeout), *urls]
    if spki:
        command += ["--spki", spki]
    limit = 30 + 2 * timeout * len(urls)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=limit,
                              stdin=subprocess.DEVNULL, cwd=os.path.dirname(os.path.dirname(
                                  os.path.abspath(__file__))))
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"the browser probe took longer than {limit:g} s") from None
    if done.returncode != 0 or not done.stdout.strip():
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        raise RuntimeError(f"the browser probe failed:\n{tail}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def probe_page(url: str, *, spki: str | None = None, timeout: float = 10.0) -> dict:
    """:func:`probe_pages` for one page: its ``{"url", "status", "transport", "errors"}``."""
    return probe_pages([url], spki=spki, timeout=timeout)[0]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Report a page's Socket.IO connection.")
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--spki")
    parser.add_argument("--timeout", type=float, default=10.0)
    options = parser.parse_args()
    print(json.dumps(_run(options.urls, options.spki, options.timeout)))
