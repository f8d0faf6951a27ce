"""The kit on a real classroom JupyterHub: two learners, at the same time, in headless Chromium.

What runs (all on 127.0.0.1, random free ports, state in a temporary folder; see
``classroom_hub.py``, whose ``hub_config`` is the exact configuration):

- **JupyterHub** (``jupyterhub`` from PyPI, in .venv) with its public proxy
  **configurable-http-proxy** (npm, pinned in ``tests/hub/package-lock.json``, installed by
  ``make test-hub``): the same two programs a Littlest JupyterHub or Zero to JupyterHub
  install runs, without the system service or Kubernetes around them.
- **SharedPasswordAuthenticator** (JupyterHub >= 5.3) with ``allowed_users`` alice and bob:
  the simplest real login form. ``DummyAuthenticator`` with a password is deprecated since
  5.3 in favour of it, and PAM would need Unix accounts.
- **SimpleLocalProcessSpawner**: each learner's single-user server
  (``.venv/bin/jupyterhub-singleuser``, JupyterLab at ``/lab``) is a local process of the
  hub's own Unix user, with its own home (a copy of the kit's ``notebooks/``). Not
  LocalProcessSpawner, which runs each server as the Unix user of the same name: that needs
  real accounts alice and bob that can read the clone's .venv. ``--LabApp.expose_app_in_browser``
  makes JupyterLab's application object ``window.jupyterapp`` scriptable, so the test drives
  JupyterLab's own commands (``docmanager:open``, ``notebook:run-all-above``) as the menus do.

What the test does, in the test's own headless Chromium (one browser context per learner):
log in as alice and as bob; both servers spawn at the same time; each opens
``notebooks/08_browser_clients.ipynb`` and runs it, both kernels at once, up to its teardown
cell; no cell may produce an error. Each notebook prints its demo page's link through
jupyter-server-proxy (``/user/NAME/proxy/PORT/?key=...``): opened in its owner's browser
context, through the hub's proxy, the page must connect over WebSocket. Then isolation:
separate server, kernel and demo port per learner; bob's login does not open alice's server.
Then the shared host (all servers share 127.0.0.1, so any user can reach any port, directly
or through their own jupyter-server-proxy): alice's demo page, reached by bob through his own
proxy without alice's key, answers 403 with the demo's explanation, and refuses a Socket.IO
client without it. Then the Socket.IO Admin UI (lesson 15) in alice's kernel, through her
proxy, logs in and lists a connected client. Last, lesson 08's teardown cell, and (in the
``hub`` fixture) that stopping the hub leaves no process behind.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.error import HTTPError
from urllib.request import urlopen

import nbformat
import psutil
import pytest
import socketio

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips or fails
    expect = None

from classroom_hub import USERS, describe

LESSON = "notebooks/08_browser_clients.ipynb"
SCRATCH = "hub_admin_ui.ipynb"
#: Upper bounds, in seconds. Each wait returns as soon as its condition holds.
SPAWN_TIMEOUT = 90        # login to a JupyterLab page with its app started
KERNEL_TIMEOUT = 60       # a notebook's kernel started and idle
RUN_TIMEOUT = 120         # a notebook's cells, with both kernels busy at once
PAGE_TIMEOUT = 15         # a proxied page loaded and connected
#: Process names of Chromium: Debian's, and the builds Playwright downloads (psutil: Linux
#: cuts names at 15 characters).
CHROMIUM_NAMES = {"chromium", "chrome", "headless_shell", "chrome-headless"}

# -- JupyterLab, driven through window.jupyterapp (LabApp.expose_app_in_browser) ------------
_FIND = """const app = window.jupyterapp;
  const widget = [...app.shell.widgets('main')].find(w => w.context?.path === path);
  if (!widget) throw new Error('no open notebook ' + path);"""

# Opens a notebook (JupyterLab starts its kernel); returns without waiting for the kernel.
OPEN = """async (path) => {
  const app = window.jupyterapp;
  await app.started; await app.restored;
  window.__fslOpening = app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
  return true;
}"""

KERNEL = """(path) => {
  const app = window.jupyterapp;
  const widget = [...app.shell.widgets('main')].find(w => w.context?.path === path);
  const kernel = widget?.sessionContext.session?.kernel;
  return kernel && kernel.status === 'idle' && kernel.connectionStatus === 'connected'
    ? kernel.id : false;
}"""
# Runs a JupyterLab command on the notebook with cell `index` active; does not wait for it.
START = """([path, command, index]) => {
  """ + _FIND + """
  widget.content.activeCellIndex = index;
  window.__fslRuns = window.__fslRuns || {};
  const run = window.__fslRuns[path] = {done: false, started: Date.now()};
  app.commands.execute(command, {widgetId: widget.id}).then(
    ok => Object.assign(run, {done: true, ok, ended: Date.now()}),
    err => Object.assign(run, {done: true, ok: false, error: String(err), ended: Date.now()}));
}"""

RUN_DONE = """(path) => {
  const run = (window.__fslRuns || {})[path];
  if (!run || !run.done) return false;
  """ + _FIND + """
  const kernel = widget.sessionContext.session?.kernel;
  return kernel && kernel.status === 'idle' ? run : false;
}"""

CELLS = """(path) => {
  """ + _FIND + """
  return [...widget.content.model.cells].map(cell => ({
    type: cell.type,
    source: cell.sharedModel.getSource(),
    count: cell.type === 'code' ? cell.executionCount : null,
    outputs: cell.type === 'code' ? cell.outputs.toJSON() : [],
  }));
}"""

# The href of every link in a notebook's HTML outputs.
LINKS = """(html) => [...new DOMParser().parseFromString(html, 'text/html').querySelectorAll('a')]
  .map(a => a.getAttribute('href'))"""


@dataclass
class Learner:
    """One learner: a browser context logged into the hub, and its JupyterLab page."""

    name: str
    context: object
    lab: object
    facts: dict = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        """The learner's server prefix on the hub, ``/user/NAME/``."""
        return f"/user/{self.name}/"

    def open(self, path: str) -> None:
        """Open a notebook in JupyterLab (relative to the learner's home), which starts its
        kernel; returns at once (wait with :meth:`kernel_id`)."""
        self.lab.evaluate(OPEN, path)

    def kernel_id(self, path: str, timeout: float = KERNEL_TIMEOUT) -> str:
        """Wait until the notebook's kernel is idle and connected; return its id."""
        return self.lab.wait_for_function(KERNEL, arg=path, timeout=timeout * 1000,
                                          polling=100).json_value()

    def start(self, path: str, command: str, index: int) -> None:
        """Start a JupyterLab command (``notebook:run-all-above``...) with cell ``index``
        active, without waiting for it."""
        self.lab.evaluate(START, [path, command, index])

    def wait_run(self, path: str, timeout: float = RUN_TIMEOUT) -> dict:
        """Wait until the command started by :meth:`start` has finished and the kernel is
        idle; return ``{"ok": ..., "started": ms, "ended": ms}``."""
        return self.lab.wait_for_function(RUN_DONE, arg=path, timeout=timeout * 1000,
                                          polling=200).json_value()

    def cells(self, path: str) -> list[dict]:
        """The notebook's cells as JupyterLab holds them now (outputs in nbformat JSON)."""
        return self.lab.evaluate(CELLS, path)

    def links(self, cells: list[dict]) -> list[str]:
        """Every link in the HTML outputs of ``cells``."""
        hrefs = []
        for cell in cells:
            for output in cell["outputs"]:
                html = (output.get("data") or {}).get("text/html")
                if html:
                    hrefs += self.lab.evaluate(LINKS, "".join(html))
        return hrefs


def errors_in(cells: list[dict], upto: int | None = None) -> list[str]:
    """The error outputs of ``cells[:upto]``, as ``"cell N: Name: value"`` lines."""
    found = []
    for number, cell in enumerate(cells[:upto]):
        for output in cell["outputs"]:
            if output.get("output_type") == "error":
                found.append(f"cell {number}: {output['ename']}: {output['evalue']}")
    return found


def teardown_index(cells: list[dict]) -> int:
    """The index of lesson 08's teardown cell (the code cell that stops ``demo_srv``)."""
    for index in range(len(cells) - 1, -1, -1):
        if cells[index]["type"] == "code" and "demo_srv.stop(" in cells[index]["source"]:
            return index
    raise AssertionError(f"{LESSON} has no teardown cell (a code cell with demo_srv.stop())")


def log_in(hub, browser, name: str) -> Learner:
    """Log ``name`` in through the hub's login form (the spawn starts; not waited for)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT * 1000)
    page.goto(hub.url + "/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", hub.password)
    page.click("#login_submit")
    return Learner(name=name, context=context, lab=page)


def wait_for_lab(hub, learner: Learner) -> None:
    """Wait until the learner's JupyterLab page is there with its app started."""
    try:
        learner.lab.wait_for_url(f"**/user/{learner.name}/lab**", timeout=SPAWN_TIMEOUT * 1000)
        learner.lab.wait_for_function(
            "window.jupyterapp !== undefined", timeout=SPAWN_TIMEOUT * 1000, polling=100)
    except Exception as exc:
        pytest.fail(f"{learner.name}'s JupyterLab did not open within {SPAWN_TIMEOUT} s "
                    f"(at {learner.lab.url}): {str(exc).splitlines()[0]}\n{hub.log()}",
                    pytrace=False)


def servers_by_user(hub) -> dict[str, psutil.Process]:
    """Each user's running single-user server process (found by the hub's marker)."""
    servers = {}
    for proc in hub.processes():
        try:
            if any(part.endswith("jupyterhub-singleuser") for part in proc.cmdline()):
                servers[proc.environ()["JUPYTERHUB_USER"]] = proc
        except psutil.Error:
            continue
    return servers


def kernel_process(server: psutil.Process, kernel_id: str) -> psutil.Process:
    """The kernel process, a child of ``server``, whose connection file names ``kernel_id``."""
    for child in server.children():
        if any(f"kernel-{kernel_id}.json" in part for part in child.cmdline()):
            return child
    raise AssertionError(f"no process of kernel {kernel_id} under server {server.pid}:\n"
                         + describe(server.children()))


def listening_ports(proc: psutil.Process) -> set[int]:
    """The TCP ports ``proc`` listens on."""
    return {c.laddr.port for c in proc.net_connections(kind="tcp")
            if c.status == psutil.CONN_LISTEN}


@pytest.fixture(scope="module")
def classroom(hub, browser):
    """alice and bob logged in, their servers spawned together, lesson 08 run in both
    kernels at once up to its teardown cell."""
    write_scratch(hub.homes["alice"] / SCRATCH)   # lesson 15's Admin UI, for alice's kernel
    learners = {}
    try:
        for name in USERS:                   # both spawns under way before waiting on one
            learners[name] = log_in(hub, browser, name)
        for learner in learners.values():
            wait_for_lab(hub, learner)
            learner.open(LESSON)             # its kernel starts while the next lab loads
            if learner.name == "alice":
                learner.open(SCRATCH)
        servers = servers_by_user(hub)
        assert set(servers) == set(USERS), f"running servers: {servers}"
        for learner in learners.values():
            learner.facts["server_pid"] = servers[learner.name].pid
            learner.facts["kernel_id"] = learner.kernel_id(LESSON)
            learner.facts["teardown"] = teardown_index(learner.cells(LESSON))
        for learner in learners.values():    # both kernels run at the same time
            learner.start(LESSON, "notebook:run-all-above", learner.facts["teardown"])
        for learner in learners.values():
            learner.facts["run"] = learner.wait_run(LESSON)
            learner.facts["cells"] = learner.cells(LESSON)
        yield learners
    finally:
        for learner in learners.values():
            learner.context.close()


def test_both_learners_run_lesson_08_at_the_same_time(classroom):
    runs = {}
    for learner in classroom.values():
        cells, upto = learner.facts["cells"], learner.facts["teardown"]
        assert learner.facts["run"]["ok"] is True, \
            f"{learner.name}: running {LESSON} stopped early: {learner.facts['run']}"
        assert errors_in(cells, upto) == [], f"{learner.name}: cells failed"
        not_run = [n for n, c in enumerate(cells[:upto]) if c["type"] == "code" and not c["count"]]
        assert not_run == [], f"{learner.name}: cells {not_run} did not run"
        runs[learner.name] = learner.facts["run"]
    alice, bob = runs["alice"], runs["bob"]
    # both kernels were busy at once: each run started before the other one ended
    assert alice["started"] < bob["ended"] and bob["started"] < alice["ended"], runs


def demo_link(learner: Learner) -> tuple[str, int]:
    """The demo page's proxied link lesson 08 printed, and the demo's port."""
    links = [href for href in learner.links(learner.facts["cells"]) if "/proxy/" in href]
    assert links, f"{learner.name}: {LESSON} printed no proxied link"
    link = links[0]
    match = re.fullmatch(rf"{re.escape(learner.prefix)}proxy/(\d+)/\?key=[\w-]+", link)
    assert match, f"{learner.name}: not a proxied link with its page key: {link!r}"
    return link, int(match.group(1))


def test_each_demo_page_connects_through_its_owners_proxy(hub, classroom):
    for learner in classroom.values():
        link, _ = demo_link(learner)
        page = learner.context.new_page()
        try:
            response = page.goto(hub.url + link)
            assert response.status == 200, f"{learner.name}: {link} answered {response.status}"
            expect(page.locator("#status")).to_have_text("connected",
                                                         timeout=PAGE_TIMEOUT * 1000)
            expect(page.locator("#transport")).to_have_text("websocket",
                                                            timeout=PAGE_TIMEOUT * 1000)
            expect(page.locator("#log li").last).to_contain_text("Connected")
        finally:
            page.close()


def test_learners_do_not_share_servers_kernels_or_ports(hub, classroom):
    servers = servers_by_user(hub)
    kernels, ports = {}, {}
    for learner in classroom.values():
        server = servers[learner.name]
        assert server.pid == learner.facts["server_pid"]
        assert server.environ()["HOME"] == str(hub.homes[learner.name])
        kernels[learner.name] = kernel_process(server, learner.facts["kernel_id"])
        _, ports[learner.name] = demo_link(learner)
    assert servers["alice"].pid != servers["bob"].pid
    assert kernels["alice"].pid != kernels["bob"].pid
    assert ports["alice"] != ports["bob"]
    for name, kernel in kernels.items():
        other = "bob" if name == "alice" else "alice"
        # each demo server runs in its own learner's kernel, not in the other's
        assert ports[name] in listening_ports(kernel), f"{name}'s demo port"
        assert ports[name] not in listening_ports(kernels[other])
        # and each kernel has its own Chromium (server.browser's, for lesson 08)
        assert any(p.name() in CHROMIUM_NAMES for p in kernel.children(recursive=True)), \
            f"{name}'s kernel runs no Chromium:\n{describe(kernel.children(recursive=True))}"


def test_a_learner_cannot_open_another_learners_server(hub, classroom):
    alice, bob = classroom["alice"], classroom["bob"]
    link, _ = demo_link(alice)
    page = bob.context.new_page()
    try:
        for path in ("/user/alice/lab", link):
            response = page.goto(hub.url + path)
            # alice's server sends bob to the hub's OAuth page, which refuses him
            assert response.status == 403, f"bob got {response.status} for {path}"
            assert "/hub/" in page.url, page.url
            assert page.evaluate("window.jupyterapp === undefined")
            assert page.locator("#status").count() == 0   # not the demo page
    finally:
        page.close()
    api = bob.context.request.get(hub.url + "/user/alice/api/contents", max_redirects=0)
    assert api.status == 403, f"bob got {api.status} from alice's API"


def test_another_learners_demo_needs_its_key_on_a_shared_host(hub, classroom):
    alice, bob = classroom["alice"], classroom["bob"]
    link, alice_port = demo_link(alice)
    # bob, through his own jupyter-server-proxy, to alice's port on the shared 127.0.0.1
    stolen = bob.context.request.get(f"{hub.url}{bob.prefix}proxy/{alice_port}/")
    assert stolen.status == 403, \
        f"alice's demo page answered bob's proxy with {stolen.status}: the page key is missing"
    assert "needs its key" in stolen.text(), stolen.text()
    # the same, directly on 127.0.0.1 (any local user can), page and Socket.IO
    with pytest.raises(HTTPError) as refused:
        urlopen(f"http://127.0.0.1:{alice_port}/", timeout=5)
    assert refused.value.code == 403
    client = socketio.Client(reconnection=False)
    refusals = []
    client.on("connect_error", refusals.append)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(f"http://127.0.0.1:{alice_port}", transports=["websocket"],
                       wait_timeout=5)
    assert refusals and "page key" in str(refusals[0]), refusals
    # while alice's own link, with the key, works for her
    mine = alice.context.request.get(hub.url + link)
    assert mine.status == 200 and "Flask-SocketIO demo" in mine.text()


ADMIN_CELLS = [
    '''import json, os, secrets

from flask import Flask
from flask_socketio import SocketIO
from socketio import Client

from server import start_server
from server.admin_ui import blueprint, instrument

shop = Flask(__name__)
shop.config["SECRET_KEY"] = secrets.token_hex()
shop_socketio = SocketIO(shop, async_mode="threading")
shop.register_blueprint(blueprint())
admin = instrument(shop_socketio, server_stats_interval=0.5)
shop_srv = start_server(shop)
print(json.dumps({"port": shop_srv.port, "username": admin.username,
                  "password": admin.password,
                  "prefix": os.environ["JUPYTERHUB_SERVICE_PREFIX"]}))''',
    '''watched = Client(reconnection=False)
watched.connect(shop_srv.url, transports=["websocket"], wait_timeout=5)
print(json.dumps({"sid": watched.get_sid()}))''',
    '''watched.disconnect()
shop_srv.stop()
admin.close()''',
]


def write_scratch(path) -> None:
    """Write the Admin UI scratch notebook (:data:`ADMIN_CELLS`) at ``path``."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in ADMIN_CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nbformat.write(nb, path)


def test_admin_ui_through_the_proxy_lists_a_connected_client(hub, classroom):
    """The page, logged in through alice's proxy, sees a client connect, live.

    The client connects after the page, so what reaches the page is ``socket_connected``,
    broadcast to the admin namespace when the client connects. The list the server sends
    once per page (``all_sockets``, from a background task that ``admin_connect`` in
    ``socketio/admin.py`` starts 0.1 s before it emits) is not reliable: an event that
    overtakes the page's CONNECT packet is dropped (socket.io-client delivers buffered
    events just before its ``connect`` event, and the page registers its handlers in that
    event), and python-socketio 5.18.1 addresses the list to the last socket of the last
    namespace (a loop variable shadows the admin's sid), which is the page only while
    ``/admin`` is the newest namespace. CI once met an empty Sockets view here, with the
    namespace selector empty too: the list never arrived.
    """
    alice = classroom["alice"]
    alice.kernel_id(SCRATCH)                                # opened by the classroom fixture
    alice.start(SCRATCH, "notebook:run-all-above", 1)       # the first cell only
    assert alice.wait_run(SCRATCH)["ok"] is True
    cells = alice.cells(SCRATCH)
    assert errors_in(cells) == []
    printed = "".join(cells[0]["outputs"][0]["text"])
    info = json.loads(printed.strip().splitlines()[-1])
    assert info["prefix"] == alice.prefix
    base = f"{alice.prefix}proxy/{info['port']}"

    page = alice.context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT * 1000)
    try:
        page.goto(f"{hub.url}{base}/admin-ui/")
        # Through the proxy the page's server is the hub's origin, and the Socket.IO path
        # carries alice's prefix: "Advanced options" has the path.
        page.get_by_label("Server URL").fill(hub.url)
        page.get_by_label("Username").fill(info["username"])
        page.get_by_label("Password").fill(info["password"])
        page.get_by_label("Advanced options").check(force=True)
        page.get_by_label("Path").fill(f"{base}/socket.io")
        page.get_by_role("button", name="Connect").click()
        expect(page.locator("text=/^\\s*connected\\s*$/i >> visible=true")).to_have_count(1)
        page.goto(f"{hub.url}{base}/admin-ui/#/sockets")
        alice.start(SCRATCH, "notebook:run-cell", 1)        # the client connects
        assert alice.wait_run(SCRATCH)["ok"] is True
        cells = alice.cells(SCRATCH)
        assert errors_in(cells) == []
        sid = json.loads("".join(cells[1]["outputs"][0]["text"]).strip())["sid"]
        page.get_by_label("Select namespace").click(force=True)
        page.get_by_role("option", name="/", exact=True).click()
        expect(page.get_by_text(sid, exact=True)).to_be_visible()
    finally:
        page.close()
        alice.start(SCRATCH, "notebook:run-all-below", 2)  # the teardown cell
        assert alice.wait_run(SCRATCH)["ok"] is True
    assert errors_in(alice.cells(SCRATCH)) == []


def test_lesson_08_teardown_cell_stops_everything(hub, classroom):
    for learner in classroom.values():
        learner.start(LESSON, "notebook:run-all-below", learner.facts["teardown"])
    for learner in classroom.values():
        run = learner.wait_run(LESSON)
        cells = learner.cells(LESSON)
        assert run["ok"] is True, f"{learner.name}: {run}"
        assert errors_in(cells) == [], f"{learner.name}: cells failed"
        _, port = demo_link(learner)
        kernel = kernel_process(servers_by_user(hub)[learner.name], learner.facts["kernel_id"])
        # ServerHandle.stop() returns once the server's socket is closed
        assert port not in listening_ports(kernel), f"{learner.name}'s demo still listens"
