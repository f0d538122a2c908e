"""End to end in a real browser: ``streamlit run app.py`` driven with Debian's Chromium.

One server for the module, on a free loopback port, against a temporary store holding the
demo network and one institution whose name is ``<img src=x onerror=alert(1)>``. Every
page is opened; the graph must have drawn its nodes inside its iframe; a search and a
contact search are run; no JavaScript dialog may open and nothing may be fetched from the
internet. Screenshots are saved under the test's temporary folder (printed with ``-s``).
A second server runs in team mode: someone signs in through the form and sees the pages.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from app_fixtures import (
    APP,
    HOSTILE_ID,
    HOSTILE_NAME,
    add_hostile_institution,
    free_port,
    start_served,
    stop_served,
)

from netmap.access import Role, User
from netmap.accounts import add_account
from netmap.io import import_into
from netmap.resources import data_file
from netmap.store import SQLiteStore

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
GRAPH = 'iframe[title="Graph of institutions and their ties"]'
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
PAGES = {
    "": "Network",
    "directory": "Directory",
    "finder": "Find a contact",
    "gaps": "Gaps and pathways",
    "map": "Map",
    "data": "Data",
    "edit": "Edit",
    "admin": "Admin",
}


def start_app(folder: Path, environment: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run app.py`` on a free loopback port; return it and its address."""
    port = free_port()
    log = (folder / "streamlit.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(APP),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=APP.parent,
    )
    log.close()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return process, url
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            stop_served(process)
            pytest.fail("Streamlit did not start:\n" + (folder / "streamlit.log").read_text())
        time.sleep(0.25)


def require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app, served by Streamlit on a free loopback port, on a demo store."""
    require_chromium()
    folder = tmp_path_factory.mktemp("browser")
    store = SQLiteStore(folder / "netmap.db", actor="browser-test")
    import_into(store, data_file("demo"))
    add_hostile_institution(store)
    environment = {**os.environ, "NETMAP_STORE": store.url, "NETMAP_ROLE": "admin"}
    process, url = start_app(folder, environment)
    yield {"url": url, "store": store, "folder": folder}
    stop_served(process)


@pytest.fixture(scope="module")
def browser_page(server):
    """A Chromium page that records dialogs, page errors and requests leaving the machine."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.dialogs, page.outside, page.errors = [], [], []
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on(
            "request",
            lambda request: (
                None if request.url.startswith(LOCAL) else page.outside.append(request.url)
            ),
        )
        yield page
        browser.close()


def open_page(page, server, path: str) -> None:
    """Open one page of the app and wait until it has finished running."""
    page.goto(f"{server['url']}/{path}")
    page.wait_for_selector(f"h1:has-text('{PAGES[path]}')", timeout=60_000)
    settle(page)


def settle(page) -> None:
    """Wait until Streamlit has finished the current run."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    page.wait_for_timeout(300)


def graph_frame(page, selector: str = GRAPH):
    """The frame of a drawn graph, once vis-network has finished laying it out."""
    frame = page.wait_for_selector(selector, timeout=60_000).content_frame()
    frame.wait_for_function("window.netmap && window.netmap.ready === true", timeout=60_000)
    return frame


def shoot(page, server, name: str) -> Path:
    path = server["folder"] / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def test_the_network_page_draws_every_institution(browser_page, server):
    page = browser_page
    open_page(page, server, "")
    frame = graph_frame(page)
    counts = frame.evaluate(
        "[network.body.data.nodes.length, network.body.data.edges.length, "
        "document.querySelectorAll('#mynetwork canvas').length]"
    )
    institutions = len(server["store"].snapshot().institutions)
    assert counts[0] == institutions == 115  # the demo's 114 and a hostile name
    assert counts[1] > 20 and counts[2] == 1
    shoot(page, server, "network")


def test_a_name_made_of_html_shows_as_text_and_runs_nothing(browser_page, server):
    page = browser_page
    open_page(page, server, "")
    frame = graph_frame(page)
    # Its acronym, "<b>X</b>", is its label: drawn as those very characters on the canvas.
    assert frame.evaluate(f"network.body.data.nodes.get({HOSTILE_ID!r}).label") == "<b>X</b>"
    # Bring the node to the middle, hover it, and read its tooltip.
    frame.evaluate(f"network.focus({HOSTILE_ID!r}, {{scale: 2.5, animation: false}})")
    frame.wait_for_timeout(200)
    x, y = frame.evaluate(
        f"""(() => {{
            const p = network.canvasToDOM(network.getPositions([{HOSTILE_ID!r}])[{HOSTILE_ID!r}]);
            const r = document.getElementById('mynetwork').getBoundingClientRect();
            return [p.x + r.left, p.y + r.top];
        }})()"""
    )
    box = page.query_selector(GRAPH).bounding_box()
    page.mouse.move(box["x"] + x, box["y"] + y)
    frame.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)
    tooltip = frame.evaluate("document.querySelector('div.vis-tooltip').innerText")
    assert HOSTILE_NAME in tooltip
    assert '<a href="javascript:alert(2)">href</a>' in tooltip
    assert frame.evaluate("document.querySelectorAll('img, a[href^=javascript]').length") == 0
    page.wait_for_timeout(500)
    assert page.dialogs == []
    shoot(page, server, "network-hostile-tooltip")


def test_every_page_opens_without_errors(browser_page, server):
    page = browser_page
    for path, title in PAGES.items():
        open_page(page, server, path)
        assert not page.query_selector('[data-testid="stException"]'), f"{title}: exception"
        assert not page.query_selector('[data-testid="stAlertContentError"]'), f"{title}: error"
        if path in ("", "directory"):
            graph_frame(page, "iframe[title]")
        shoot(page, server, f"page-{path or 'network'}")
    assert page.dialogs == []
    assert page.errors == []


def test_a_search_in_cyrillic_finds_plovdiv(browser_page, server):
    page = browser_page
    open_page(page, server, "directory")
    search = page.get_by_placeholder("A name, acronym, city or initiative", exact=False)
    search.fill("Пловдив")
    search.press("Enter")
    page.wait_for_selector("text=found for “Пловдив”", timeout=30_000)
    settle(page)
    assert page.get_by_text("institutions found for “Пловдив”", exact=False).count() == 1
    heading = page.locator("h3").first.inner_text()
    assert "Plovdiv" in heading
    ego = graph_frame(page, 'iframe[title="The institution and its direct partners"]')
    assert ego.evaluate("network.body.data.nodes.length") >= 2
    shoot(page, server, "directory-search")


def choose(page, label: str, text: str) -> None:
    """Pick an option of a select box by typing, as a user does."""
    box = page.get_by_label(label, exact=False).first
    box.click()
    page.keyboard.type(text)
    page.wait_for_timeout(400)
    page.keyboard.press("Enter")
    settle(page)


def test_a_contact_search_shows_a_path_drawn_as_a_graph(browser_page, server):
    page = browser_page
    open_page(page, server, "finder")
    choose(page, "I am at", "ARSIS – Social Organisation")
    choose(page, "Whom do I call in", "Bulgaria")
    page.wait_for_selector("text=reachable through your partners", timeout=30_000)
    assert page.get_by_text("Introduction path", exact=False).count() >= 1
    path = graph_frame(page, 'iframe[title="The introduction path as a graph"]')
    assert path.evaluate("network.body.data.nodes.length") == 2
    shoot(page, server, "finder")


def test_a_table_downloads_as_a_csv_file_excel_reads(browser_page, server):
    """The CSV is written when the button is clicked, with the BOM Excel needs for
    Cyrillic and Greek, and formulas neutralised."""
    page = browser_page
    open_page(page, server, "gaps")
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download as CSV").first.click()
    data = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename.endswith(".csv")
    assert data.startswith(b"\xef\xbb\xbf") and len(data.splitlines()) > 1
    text = data.decode("utf-8-sig")
    assert not any(cell[:1] in "=+-@" for line in text.splitlines() for cell in line.split(","))


def test_nothing_was_fetched_from_the_internet_and_no_dialog_opened(browser_page, server):
    page = browser_page
    open_page(page, server, "map")
    page.wait_for_selector("canvas", timeout=30_000)
    page.wait_for_timeout(1500)
    shoot(page, server, "map")
    assert page.outside == [], f"requests left the machine: {page.outside[:5]}"
    assert page.dialogs == []


def test_the_first_start_loads_the_demo_and_says_what_it_is(browser_page, tmp_path):
    """No store named, an empty data folder: a new user's first ``netmap serve``.

    The server loads the demo while it prepares its first page, before the browser opens;
    the note saying what the user is looking at must still be there for them.
    """
    page = browser_page
    environment = {k: v for k, v in os.environ.items() if k not in ("NETMAP_STORE", "NETMAP_ROLE")}
    environment["XDG_DATA_HOME"] = str(tmp_path / "data")  # netmap's own store goes here
    process, url, _ = start_served(tmp_path / "serve.log", environment)
    try:
        assert (tmp_path / "data" / "netmap" / "netmap.db").exists()
        first = {"url": url, "folder": tmp_path}
        open_page(page, first, "")
        page.wait_for_selector("text=You are looking at netmap's demo network", timeout=60_000)
        frame = graph_frame(page)
        assert frame.evaluate("network.body.data.nodes.length") == 114
        shoot(page, first, "first-start")
    finally:
        stop_served(process)


def test_in_team_mode_a_person_signs_in_through_the_form_and_sees_the_network(
    browser_page, tmp_path
):
    """A store with an account: the sign-in screen first, the pages after the password."""
    page = browser_page
    store = SQLiteStore(tmp_path / "team.db", actor="browser-test")
    import_into(store, data_file("demo"))
    add_account(store, User("setup", Role.ADMIN), "eleni", "editor", "correct horse battery")
    environment = {k: v for k, v in os.environ.items() if k not in ("NETMAP_ROLE", "NETMAP_MODE")}
    environment["NETMAP_STORE"] = store.url
    process, url = start_app(tmp_path, environment)
    team = {"url": url, "folder": tmp_path}
    try:
        page.goto(url)
        page.wait_for_selector("h1:has-text('Sign in to netmap')", timeout=60_000)
        settle(page)
        assert not page.query_selector("iframe"), "the graph shows before sign-in"
        shoot(page, team, "team-sign-in")
        page.get_by_label("Name", exact=True).fill("eleni")
        page.get_by_label("Password", exact=True).fill("not the password")
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_selector("text=That name and password do not match an account.")
        settle(page)
        assert not page.query_selector("iframe")
        page.get_by_label("Name", exact=True).fill("eleni")
        page.get_by_label("Password", exact=True).fill("correct horse battery")
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_selector("h1:has-text('Network')", timeout=60_000)
        settle(page)
        frame = graph_frame(page)
        assert frame.evaluate("network.body.data.nodes.length") == 114
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
        assert "Signed in as eleni (editor), team mode" in sidebar
        assert "Admin" not in page.locator('[data-testid="stSidebarNav"]').inner_text()
        shoot(page, team, "team-signed-in")
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_selector("h1:has-text('Sign in to netmap')", timeout=60_000)
        assert page.dialogs == [] and page.errors == []
        assert page.outside == [], f"requests left the machine: {page.outside[:5]}"
    finally:
        stop_served(process)
