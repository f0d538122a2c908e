"""The app's pages on a live Neo4j server, driven by Streamlit's AppTest.

The same pages as ``test_app_pages.py``, with ``NETMAP_STORE`` naming the test server
(user and password in the URL, as ``tests/neo4j-server/start`` prints it): every page
renders on the demo network there, an import and an edit write to it, and a stale edit
is refused. The store is opened once per URL by the app (``st.cache_resource``), as it is
when served.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from app_fixtures import PAGES, app_test, assert_clean, frames, page_test, texts
from conftest import require_neo4j

from netmap.model import RecordKind
from netmap.ui.navigation import PAGES as APP_PAGES

pytestmark = pytest.mark.neo4j

FORM = "edit-form-institutions-bg-plovdiv-municipality-0"


@pytest.fixture
def on_neo4j_demo(neo4j_demo_store, monkeypatch):
    """Point the app at the demo network on the live server, as its admin."""
    monkeypatch.setenv("NETMAP_STORE", require_neo4j())
    monkeypatch.delenv("NETMAP_ROLE", raising=False)
    return neo4j_demo_store


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_on_the_demo_network_on_the_server(on_neo4j_demo, page):
    at = page_test(page).run()
    assert_clean(at)
    assert at.title, "the page has no title"
    assert "netmap-" not in texts(at), "the server's password is on the page"


def test_the_whole_app_reaches_every_page_on_the_server(on_neo4j_demo):
    at = app_test().run()
    assert_clean(at)
    assert at.get("bidi_component"), "the network graph is missing"
    for page in APP_PAGES[1:]:
        at.switch_page(str(page.path)).run()
        assert_clean(at)
        assert at.title[0].value == page.title


def test_a_search_on_the_server_in_cyrillic_lists_the_plovdiv_institutions(on_neo4j_demo):
    at = page_test("directory").run()
    at.text_input(key="directory-search").set_value("Пловдив").run()
    assert_clean(at)
    institutions = on_neo4j_demo.snapshot().institutions
    in_plovdiv = set(institutions.loc[institutions["city"] == "Plovdiv", "name"])
    assert len(in_plovdiv) >= 5
    assert in_plovdiv <= set(frames(at)[0]["Name"])


def test_a_clean_import_on_the_server_writes_after_the_dry_run(on_neo4j_demo):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr(
            "institutions.csv",
            "id,name,sector,country,city\nbg-sofia-new,New shelter,civil_society,BG,Sofia\n",
        )
    at = page_test("data").run()
    at.file_uploader(key="data-upload").set_value(
        ("commission.zip", archive.getvalue(), "application/zip")
    ).run()
    assert_clean(at)
    assert on_neo4j_demo.existing_ids(RecordKind.INSTITUTION, {"bg-sofia-new"}) == set()
    at.button(key="data-confirm").click().run()
    assert_clean(at)
    assert on_neo4j_demo.existing_ids(RecordKind.INSTITUTION, {"bg-sofia-new"}) == {"bg-sofia-new"}
    log = frames(page_test("data").run())[-1]
    assert "bg-sofia-new" in set(log["Record"])


def test_an_edit_on_the_server_is_saved_and_a_stale_one_refused(on_neo4j_demo):
    at = page_test("edit").run()
    at.selectbox(key="edit-record-institutions").set_value("bg-plovdiv-municipality").run()
    assert_clean(at)
    at.text_input(key=f"{FORM}-email").set_value("office@plovdiv.bg")
    at.button(key=f"{FORM}-save").click().run()
    assert_clean(at)
    stored = on_neo4j_demo.get(RecordKind.INSTITUTION, "bg-plovdiv-municipality")
    assert stored.email == "office@plovdiv.bg"

    # Someone else saves the same institution; this editor's next save is refused.
    on_neo4j_demo.update(stored.model_copy(update={"acronym": "OP"}))
    form = f"{FORM[:-1]}1"
    at.text_input(key=f"{form}-acronym").set_value("MINE")
    at.button(key=f"{form}-save").click().run()
    assert not at.exception
    assert "changed by someone else" in " ".join(e.value for e in at.error)
    assert on_neo4j_demo.get(RecordKind.INSTITUTION, "bg-plovdiv-municipality").acronym == "OP"
