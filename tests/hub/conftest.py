"""Fixtures of the JupyterHub test: the hub (``classroom_hub``) and the test's own Chromium.

Without configurable-http-proxy (``make test-hub`` installs it), node or Chromium the test is
skipped, unless ``FSL_REQUIRE_HUB=1`` (set by ``make test-hub``), which makes it fail.
"""

from __future__ import annotations

import os
import shutil

import pytest

from classroom_hub import CHP, HubError, start_hub, stop_hub
from server.browser import CHROMIUM_ARGS, find_chromium


def _missing(reason: str):
    """Skip, or fail under ``make test-hub`` (``FSL_REQUIRE_HUB=1``)."""
    if os.environ.get("FSL_REQUIRE_HUB") == "1":
        pytest.fail(f"FSL_REQUIRE_HUB=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def _chromium() -> str:
    chromium = find_chromium()
    if chromium is None:
        _missing("no Chromium found: `sudo apt-get install chromium`, or set CHROMIUM_PATH")
    return chromium


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """A running JupyterHub with users alice and bob; afterwards, stopped and checked: a
    process it leaves behind fails the test run (and is killed)."""
    if not CHP.exists():
        _missing(f"configurable-http-proxy is not installed ({CHP} is missing): run "
                 "`make test-hub`, which installs it with npm ci in tests/hub/")
    if shutil.which("node") is None:
        _missing("node is not on the PATH: configurable-http-proxy needs Node.js >= 20")
    try:
        handle = start_hub(tmp_path_factory.mktemp("hub"), _chromium())
    except HubError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield handle
    finally:
        leftovers = stop_hub(handle)
    if leftovers:
        pytest.fail("stopping the hub left these processes running (now killed):\n"
                    + leftovers, pytrace=False)


@pytest.fixture(scope="module")
def browser():
    """The test's own headless Chromium (Playwright's sync API), launched as the kit does."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed: `pip install -r requirements.lock`")
    chromium = _chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
