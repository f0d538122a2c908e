"""End to end in a real browser: ``streamlit run app.py`` driven with Debian's Chromium.

One server for the module, on a free loopback port, against a temporary store holding the
demo network and one institution whose name is ``<img src=x onerror=alert(1)>``. Every
page is opened; the Network page's graph (drawn in the page itself, Streamlit components
v2) must have drawn its nodes, open a profile when one is clicked, find one typed in any
script, stay in the first screen of a laptop and save itself as a picture; the other
graphs draw inside their iframes; a search and a contact search are run; no JavaScript
dialog may open and nothing may be fetched from the internet. Screenshots are saved under
the test's temporary folder (printed with ``-s``), and copied to ``$NETMAP_SCREENSHOTS``
when it is set. A second server runs in team mode: someone signs in through the form and
sees the pages.
"""

from __future__ import annotations

import os
import shutil
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
GRAPH = ".netmap-graph"  # the Network page's live graph (in a shadow root of the page)
LAPTOP = {"width": 1366, "height": 768}
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


def graph_frame(page, selector: str):
    """The frame of a drawn graph, once vis-network has finished laying it out."""
    frame = page.wait_for_selector(selector, timeout=60_000).content_frame()
    frame.wait_for_function("window.netmap && window.netmap.ready === true", timeout=60_000)
    return frame


def live_graph(page, after: int = 0):
    """The Network page's graph, once it has drawn more than ``after`` times and settled.

    Its element carries ``netmap``: the vis-network instance, ``ready`` and ``updates``.
    """
    graph = page.wait_for_selector(GRAPH, timeout=60_000)
    page.wait_for_function(
        "([el, after]) => el.netmap && el.netmap.ready && el.netmap.updates > after",
        arg=[graph, after],
        timeout=60_000,
    )
    return graph


def node_point(graph, node: str) -> tuple[float, float]:
    """Where ``node`` is drawn, in the page's coordinates."""
    return tuple(
        graph.evaluate(
            """(el, node) => {
                const network = el.netmap.network;
                const at = network.canvasToDOM(network.getPositions([node])[node]);
                const box = el.querySelector('.netmap-canvas').getBoundingClientRect();
                return [at.x + box.left, at.y + box.top];
            }""",
            node,
        )
    )


def shoot(page, server, name: str, full_page: bool = True) -> Path:
    path = server["folder"] / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    print(f"screenshot: {path}")
    keep(path)
    return path


def keep(path: Path) -> None:
    """Copy a picture the tests made to ``$NETMAP_SCREENSHOTS``, when that is set."""
    if os.environ.get("NETMAP_SCREENSHOTS"):
        kept = Path(os.environ["NETMAP_SCREENSHOTS"])
        kept.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, kept / path.name)


def test_the_network_page_draws_every_institution(browser_page, server):
    page = browser_page
    open_page(page, server, "")
    graph = live_graph(page)
    counts = graph.evaluate(
        "el => [el.netmap.network.body.data.nodes.length, "
        "el.netmap.network.body.data.edges.length, "
        "el.querySelectorAll('.netmap-canvas canvas').length]"
    )
    institutions = len(server["store"].snapshot().institutions)
    assert counts[0] == institutions == 115  # the demo's 114 and a hostile name
    assert counts[1] > 20 and counts[2] == 1
    assert not page.query_selector("iframe"), "the graph is in an iframe again"
    shoot(page, server, "network")


def hostile_markup(page) -> int:
    """How many elements anywhere on the page, shadow roots included, a hostile name
    would have made: an image with src=x, a javascript: link, a script of alert(3)."""
    return page.evaluate(
        """() => {
            let found = 0;
            const look = (root) => {
                found += root.querySelectorAll(
                    'img[src="x"], a[href^="javascript"]').length;
                found += [...root.querySelectorAll('script')]
                    .filter((s) => s.textContent.includes('alert(3)')).length;
                root.querySelectorAll('*').forEach((el) => el.shadowRoot && look(el.shadowRoot));
            };
            look(document);
            return found;
        }"""
    )


def test_a_name_made_of_html_shows_as_text_and_runs_nothing(browser_page, server):
    """The graph runs in the app's page now, not in an iframe: the hostile name must still
    be drawn and shown as the characters it is made of, on the canvas, in the tooltip
    and in the profile a click opens."""
    page = browser_page
    open_page(page, server, "")
    graph = live_graph(page)
    network = "el.netmap.network"
    # Its acronym, "<b>X</b>", is its label: drawn as those very characters on the canvas.
    label = graph.evaluate(f"el => {network}.body.data.nodes.get({HOSTILE_ID!r}).label")
    assert label == "<b>X</b>"
    # Bring the node to the middle, hover it, and read its tooltip.
    graph.evaluate(f"el => {network}.focus({HOSTILE_ID!r}, {{scale: 2.5, animation: false}})")
    page.wait_for_timeout(300)
    page.mouse.move(*node_point(graph, HOSTILE_ID))
    tip = page.wait_for_selector(f"{GRAPH} div.vis-tooltip", state="visible", timeout=10_000)
    text = tip.inner_text()
    assert HOSTILE_NAME in text
    assert '<a href="javascript:alert(2)">href</a>' in text
    assert tip.evaluate("el => el.querySelectorAll('img, a').length") == 0
    shoot(page, server, "network-hostile-tooltip")
    # A click opens its profile beside the graph, the name again as text.
    page.mouse.click(*node_point(graph, HOSTILE_ID))
    heading = page.wait_for_selector("h3:has-text('onerror')", timeout=30_000)
    settle(page)
    assert heading.inner_text() == HOSTILE_NAME
    page.wait_for_timeout(500)
    assert hostile_markup(page) == 0
    assert page.dialogs == [] and page.errors == []
    shoot(page, server, "network-hostile-profile")


def test_clicking_an_institution_opens_its_profile_beside_the_graph(browser_page, server):
    page = browser_page
    open_page(page, server, "")
    graph = live_graph(page)
    updates = graph.evaluate("el => el.netmap.updates")
    page.mouse.click(*node_point(graph, "gr-thessaloniki-arsis"))
    heading = page.wait_for_selector("h3:has-text('ARSIS')", timeout=30_000)
    settle(page)
    side = page.locator(".st-key-network-side")
    assert "ARSIS" in heading.inner_text() and side.get_by_text("Contacts").count() >= 1
    # Beside the graph, not under it: the profile's column starts level with the graph.
    canvas = page.locator(f"{GRAPH} .netmap-canvas").bounding_box()
    column = side.bounding_box()
    assert column["x"] >= canvas["x"] + canvas["width"] and column["y"] < canvas["y"] + 60
    # The graph kept its place and shows the institution selected.
    graph = live_graph(page, updates)
    assert graph.evaluate("el => el.netmap.network.getSelectedNodes()") == ["gr-thessaloniki-arsis"]
    shoot(page, server, "network-click-profile", full_page=False)
    page.get_by_role("button", name="Close the profile").click()
    page.wait_for_selector("text=Click an institution", timeout=30_000)
    assert page.errors == []


def test_typing_a_name_in_cyrillic_finds_the_institution_and_centres_on_it(browser_page, server):
    page = browser_page
    open_page(page, server, "")
    graph = live_graph(page)
    search = page.get_by_placeholder("A name, acronym or city", exact=False)
    search.fill("Нови Сад црвени")  # "Novi Sad red", in Serbian Cyrillic
    search.press("Enter")
    page.wait_for_selector("h3:has-text('Red Cross in Novi Sad')", timeout=30_000)
    settle(page)
    # The graph glides to it, close enough to read (a scale of about 1 or more).
    page.wait_for_function("el => el.netmap.network.getScale() > 0.95", arg=graph)
    page.wait_for_timeout(1000)
    assert graph.evaluate("el => el.netmap.network.getSelectedNodes()") == ["rs-novi-sad-red-cross"]
    x, y = node_point(graph, "rs-novi-sad-red-cross")
    canvas = page.locator(f"{GRAPH} .netmap-canvas").bounding_box()
    middle = (canvas["x"] + canvas["width"] / 2, canvas["y"] + canvas["height"] / 2)
    assert abs(x - middle[0]) < 40 and abs(y - middle[1]) < 40, "not centred on it"
    shoot(page, server, "network-search", full_page=False)


def test_on_a_laptop_the_graph_is_in_the_first_screen(browser_page, server):
    page = browser_page
    page.set_viewport_size(LAPTOP)
    try:
        open_page(page, server, "")
        live_graph(page)
        canvas = page.locator(f"{GRAPH} .netmap-canvas").bounding_box()
        assert page.evaluate("window.scrollY") == 0
        assert canvas["y"] < 300, f"the graph starts {canvas['y']:.0f} px down"
        assert canvas["y"] + canvas["height"] <= LAPTOP["height"], "its foot is below the fold"
        assert canvas["width"] >= 500
        assert page.locator('[data-testid="stSidebar"]').get_by_text("Filters").is_visible()
        shoot(page, server, "network-laptop", full_page=False)
    finally:
        page.set_viewport_size({"width": 1400, "height": 1100})


def test_the_graph_saves_itself_as_a_png_and_the_view_as_svg_html_graphml(browser_page, server):
    from defusedxml import ElementTree
    from PIL import Image

    page = browser_page
    open_page(page, server, "")
    graph = live_graph(page)
    with page.expect_download(timeout=60_000) as download:
        page.locator(f"{GRAPH} button[data-action=png]").click()
    assert download.value.suggested_filename == "netmap-network.png"
    picture = Image.open(download.value.path()).convert("RGB")
    canvas = graph.evaluate("el => el.querySelector('canvas').width")
    assert picture.width == canvas and picture.height > 300
    colours = picture.getcolors(maxcolors=1_000_000)
    assert len(colours) > 50, "the picture is blank"
    white = max(count for count, colour in colours if colour == (255, 255, 255))
    assert white < picture.width * picture.height * 0.97  # nodes, lines and the legend
    shutil.copy(download.value.path(), server["folder"] / "network-export.png")
    keep(server["folder"] / "network-export.png")
    shoot(page, server, "network-export-png", full_page=False)
    settle(page)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download as SVG").click()
    assert download.value.suggested_filename == "netmap-network.svg"
    tree = ElementTree.parse(download.value.path()).getroot()
    groups = tree.findall("{http://www.w3.org/2000/svg}g")
    assert len(groups) == 115
    # Where the graph has them: the SVG holds the positions the page settled on.
    x, y = graph.evaluate(
        "el => { const p = el.netmap.network.getPositions(['gr-athens-ekka'])['gr-athens-ekka'];"
        " return [p.x, p.y]; }"
    )
    ekka = next(
        g
        for g in groups
        if g.find("{http://www.w3.org/2000/svg}title").text.startswith(
            "National Centre for Social Solidarity"
        )
    )
    shape = ekka[1]  # after its <title>: a circle, or a polygon around its centre
    if shape.get("cx"):
        centre = (float(shape.get("cx")), float(shape.get("cy")))
    else:
        corners = [tuple(map(float, p.split(","))) for p in shape.get("points").split()]
        centre = (
            sum(c[0] for c in corners) / len(corners),
            sum(c[1] for c in corners) / len(corners),
        )
    assert abs(centre[0] - x) < 2 and abs(centre[1] - y) < 2
    # The offline page and GraphML still come with the view.
    settle(page)  # a download button's click runs the page again
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download as a web page").click()
    html = Path(download.value.path()).read_text(encoding="utf-8")
    assert "vis.Network" in html and "<h1>netmap – network view</h1>" in html
    assert "<img src=x" not in html
    settle(page)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download as GraphML").click()
    assert b"<graphml" in Path(download.value.path()).read_bytes()[:2000]


def test_nodes_stay_where_they_are_when_a_filter_changes(browser_page, server):
    page = browser_page
    open_page(page, server, "")
    graph = live_graph(page)
    greek = ["gr-athens-ekka", "gr-thessaloniki-arsis", HOSTILE_ID]
    before = graph.evaluate("(el, ids) => el.netmap.network.getPositions(ids)", greek)
    updates = graph.evaluate("el => el.netmap.updates")
    choose(page, "Countries", "Greece")
    graph = live_graph(page, updates)
    drawn = graph.evaluate("el => el.netmap.network.body.data.nodes.getIds()")
    assert set(greek) <= set(drawn) and len(drawn) < 115
    after = graph.evaluate("(el, ids) => el.netmap.network.getPositions(ids)", greek)
    for node in greek:
        assert abs(after[node]["x"] - before[node]["x"]) < 1, node
        assert abs(after[node]["y"] - before[node]["y"]) < 1, node
    shoot(page, server, "network-filtered", full_page=False)


def test_every_page_opens_without_errors(browser_page, server):
    page = browser_page
    for path, title in PAGES.items():
        open_page(page, server, path)
        assert not page.query_selector('[data-testid="stException"]'), f"{title}: exception"
        assert not page.query_selector('[data-testid="stAlertContentError"]'), f"{title}: error"
        if path == "":
            live_graph(page)
        if path == "directory":
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
        graph = live_graph(page)
        assert graph.evaluate("el => el.netmap.network.body.data.nodes.length") == 114
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
        assert not page.query_selector(f"iframe, {GRAPH}"), "the graph shows before sign-in"
        shoot(page, team, "team-sign-in")
        page.get_by_label("Name", exact=True).fill("eleni")
        page.get_by_label("Password", exact=True).fill("not the password")
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_selector("text=That name and password do not match an account.")
        settle(page)
        assert not page.query_selector(f"iframe, {GRAPH}")
        page.get_by_label("Name", exact=True).fill("eleni")
        page.get_by_label("Password", exact=True).fill("correct horse battery")
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_selector("h1:has-text('Network')", timeout=60_000)
        settle(page)
        graph = live_graph(page)
        assert graph.evaluate("el => el.netmap.network.body.data.nodes.length") == 114
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
