"""The app's pages, driven by Streamlit's AppTest on real stores.

Every page file runs on its own (``AppTest.from_file``) on the demo network and on an empty
store; the key widgets drive the results users rely on. The pyvis graphs appear here only
as iframes: their HTML is tested in ``test_viz.py`` and their rendering in
``test_browser.py``.
"""

from __future__ import annotations

import io
import json
import sqlite3
import threading
import time
import zipfile

import pyarrow
import pytest
from app_fixtures import (
    HOSTILE_ID,
    HOSTILE_NAME,
    PAGES,
    TIMEOUT,
    add_hostile_institution,
    app_test,
    frames,
    page_test,
    texts,
)

from netmap import viz
from netmap.errors import NetmapError
from netmap.graph import institution_graph
from netmap.model import Institution, RecordKind
from netmap.store import SQLiteStore
from netmap.ui import cached, stores, widgets
from netmap.ui.navigation import PAGES as APP_PAGES

VIEWER_PAGES = ["network", "directory", "finder", "gaps", "map", "data"]


@pytest.fixture
def on_demo(demo_store, monkeypatch):
    """Point the app at a private copy of the demo network, as its admin."""
    monkeypatch.setenv("NETMAP_STORE", demo_store.url)
    monkeypatch.delenv("NETMAP_ROLE", raising=False)
    return demo_store


@pytest.fixture
def on_empty(tmp_path, monkeypatch):
    """Point the app at a new, empty store."""
    store = SQLiteStore(tmp_path / "empty.db", actor="tester")
    monkeypatch.setenv("NETMAP_STORE", store.url)
    monkeypatch.delenv("NETMAP_ROLE", raising=False)
    return store


def assert_clean(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


# --- every page ---------------------------------------------------------------------------


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_on_the_demo_network(on_demo, page):
    at = page_test(page).run()
    assert_clean(at)
    assert at.title, "the page has no title"


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_on_an_empty_store(on_empty, page):
    at = page_test(page).run()
    assert_clean(at)
    if page in ("network", "directory", "finder", "gaps", "map"):
        assert "holds no institutions yet" in texts(at)
        assert at.button(key="load-demo")


def test_the_empty_state_button_loads_the_demo(on_empty):
    at = page_test("directory").run()
    at.button(key="load-demo").click().run()
    assert_clean(at)
    assert on_empty.counts()[RecordKind.INSTITUTION] >= 90


def test_the_whole_app_opens_on_the_network_page_and_reaches_every_page(on_demo):
    at = app_test().run()
    assert_clean(at)
    assert at.title[0].value == "Network"
    assert at.get("iframe"), "the network graph is missing"
    for page in APP_PAGES[1:]:
        at.switch_page(str(page.path)).run()
        assert_clean(at)
        assert at.title[0].value == page.title


# --- the store: unreachable, first run -------------------------------------------------------


def test_a_file_that_is_not_a_netmap_store_gives_one_clear_message(tmp_path, monkeypatch):
    other = tmp_path / "someone-else.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER)")
    monkeypatch.setenv("NETMAP_STORE", f"sqlite:///{other}")
    at = app_test().run()
    assert not at.exception
    assert len(at.error) == 1
    assert "cannot open its store" in at.error[0].value
    assert "not a netmap store" in at.error[0].value


def test_an_unreachable_neo4j_server_gives_one_clear_message(monkeypatch):
    monkeypatch.setenv("NETMAP_STORE", "neo4j://127.0.0.1:9")
    monkeypatch.setenv("NETMAP_NEO4J_PASSWORD", "not-a-real-password")
    at = app_test().run(timeout=120)
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1
    assert "cannot open its store" in at.error[0].value
    assert "not-a-real-password" not in at.error[0].value


def test_a_page_on_a_store_it_cannot_reach_names_it_without_the_password(monkeypatch):
    monkeypatch.setenv("NETMAP_STORE", "neo4j://ops:s3cret@127.0.0.1:9")
    monkeypatch.delenv("NETMAP_ROLE", raising=False)
    at = page_test("directory").run(timeout=120)
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1, [e.value for e in at.error]
    assert "cannot open its store `neo4j://127.0.0.1:9`" in at.error[0].value
    assert "s3cret" not in at.error[0].value and "ops" not in at.error[0].value
    assert not at.title, "the page went on past the store it could not open"


def test_outside_a_streamlit_run_a_store_that_cannot_be_opened_raises_its_error(
    tmp_path, monkeypatch
):
    # Bare mode (``python app.py``, a script): st.stop() returns instead of stopping.
    other = tmp_path / "someone-else.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER)")
    monkeypatch.setenv("NETMAP_STORE", f"sqlite:///{other}")
    with pytest.raises(NetmapError, match="not a netmap store"):
        stores.raw_store()


def test_the_first_start_on_the_builtin_store_loads_the_demo_and_says_what_it_is(
    tmp_path, monkeypatch
):
    url = f"sqlite:///{tmp_path / 'first.db'}"
    monkeypatch.setenv("NETMAP_STORE", url)
    monkeypatch.setattr("netmap.store.builtin_store_url", lambda: url)
    at = app_test().run()
    assert_clean(at)
    assert SQLiteStore(tmp_path / "first.db").counts()[RecordKind.INSTITUTION] >= 90
    message = " ".join(info.value for info in at.info)
    assert "demo network" in message and "each dot is an institution" in message


def test_the_demo_note_shows_until_the_first_change(on_demo):
    at = page_test("network").run()
    assert "You are looking at netmap's demo network" in " ".join(i.value for i in at.info)
    record = on_demo.get(RecordKind.INSTITUTION, "gr-athens-ekka")
    on_demo.update(record.model_copy(update={"notes": "our own network from now on"}))
    at = page_test("network").run()
    assert_clean(at)
    assert "demo network" not in " ".join(i.value for i in at.info)


def test_a_named_empty_store_is_not_filled_with_the_demo(on_empty):
    at = app_test().run()
    assert_clean(at)
    assert on_empty.counts()[RecordKind.INSTITUTION] == 0


# --- caching ---------------------------------------------------------------------------------


def test_nothing_is_rebuilt_until_the_store_changes(on_demo, monkeypatch):
    calls = []
    original = SQLiteStore.snapshot

    def counting(self):
        calls.append(self.url)
        return original(self)

    monkeypatch.setattr(SQLiteStore, "snapshot", counting)
    at = page_test("network").run()
    at.run()
    at.run()
    assert calls == [on_demo.url]
    record = on_demo.get(RecordKind.INSTITUTION, "gr-athens-ekka")
    on_demo.update(record.model_copy(update={"acronym": "EKKA."}))
    at.run()
    assert calls == [on_demo.url, on_demo.url]


# --- Network ---------------------------------------------------------------------------------


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_the_network_page_draws_the_demo_with_physics_and_a_note(on_demo):
    at = page_test("network").run()
    assert_clean(at)
    assert metric(at, "Institutions") == str(len(on_demo.snapshot().institutions))
    assert "The layout settles by itself" in texts(at)
    assert len(at.get("iframe")) == 1


def test_network_filters_narrow_the_graph(on_demo):
    at = page_test("network").run()
    at.multiselect(key="network-countries").set_value(["BG"]).run()
    assert_clean(at)
    bulgarian = on_demo.snapshot().institutions.query("country == 'BG'")
    assert metric(at, "Institutions") == str(len(bulgarian))
    at.multiselect(key="network-sectors").set_value(["police"]).run()
    assert_clean(at)
    assert int(metric(at, "Institutions")) < len(bulgarian)


def test_ties_can_be_limited_to_those_active_in_a_year(on_demo):
    at = page_test("network").run()
    at.checkbox(key="network-dated").check().run()
    at.slider(key="network-year").set_value(2005).run()
    assert_clean(at)
    everything = len(on_demo.snapshot().ties)
    assert int(metric(at, "Ties").replace(",", "")) < everything
    at.button_group(key="network-when").set_value("a day").run()
    assert_clean(at)


def test_the_ego_view_shows_an_institution_and_its_partners(on_demo):
    at = page_test("network").run()
    at.selectbox(key="network-focus").set_value("rs-novi-sad-nshc").run()
    assert_clean(at)
    one_hop = int(metric(at, "Institutions"))
    at.slider(key="network-hops").set_value(2).run()
    assert_clean(at)
    assert 1 < one_hop < int(metric(at, "Institutions")) <= len(on_demo.snapshot().institutions)


def test_a_path_between_two_institutions_is_found_and_named(on_demo):
    at = page_test("network").run()
    at.selectbox(key="network-path-from").set_value("gr-thessaloniki-arsis").run()
    at.selectbox(key="network-path-to").set_value("bg-sofia-sacp").run()
    assert_clean(at)
    assert any("ARSIS" in s.value and "State Agency" in s.value for s in at.success)


def test_sizing_by_betweenness_measures_the_network(on_demo):
    at = page_test("network").run()
    at.selectbox(key="network-size").set_value("betweenness").run()
    assert_clean(at)
    assert "betweenness" in texts(at).lower()


def test_slow_metrics_show_each_step_and_go_on_when_the_page_is_left(on_demo, monkeypatch):
    """Minutes at 100,000 institutions: the page shows the steps, and the measuring, in a
    thread of its own, is found again (not started again) by the next run."""
    import networkx as nx

    real_pagerank, started = nx.pagerank, []

    def slow_pagerank(*args, **kwargs):
        started.append(1)
        time.sleep(1.5)
        return real_pagerank(*args, **kwargs)

    monkeypatch.setattr(nx, "pagerank", slow_pagerank)
    at = page_test("network").run()
    at.selectbox(key="network-size").set_value("pagerank").run()
    assert_clean(at)
    (status,) = at.status
    count = len(on_demo.snapshot().institutions)
    assert (status.label, status.state) == (f"Measured {count} institutions.", "complete")
    (bar,) = at.progress
    assert bar.proto.text.startswith("Step ") and " of 8: " in bar.proto.text, bar.proto.text
    assert at.get("iframe")
    at.selectbox(key="network-size").set_value("betweenness").run()
    assert_clean(at)
    assert not at.status and started == [1], "the metrics were worked out again"


def test_metrics_that_failed_are_tried_again_on_the_next_run(on_demo, monkeypatch):
    import networkx as nx

    real_pagerank = nx.pagerank

    def failing_pagerank(*args, **kwargs):
        raise NetmapError("the measuring failed")

    monkeypatch.setattr(nx, "pagerank", failing_pagerank)
    at = page_test("network").run()
    at.selectbox(key="network-size").set_value("pagerank").run()
    assert "the measuring failed" in " ".join(e.value for e in at.error)
    monkeypatch.setattr(nx, "pagerank", real_pagerank)
    at.run()
    assert_clean(at)
    assert at.get("iframe")


def counted_reads(monkeypatch) -> list[str]:
    """The names of the SQLite store's whole reads (snapshot, outline), as they happen."""
    reads = []
    for method in ("snapshot", "outline"):
        original = getattr(SQLiteStore, method)
        monkeypatch.setattr(
            SQLiteStore,
            method,
            lambda self, method=method, original=original: reads.append(method) or original(self),
        )
    return reads


def test_an_outline_is_cut_from_the_whole_network_once_that_is_read(on_demo, monkeypatch):
    monkeypatch.setattr(viz, "PHYSICS_LIMIT", 10)
    monkeypatch.setattr(viz, "DRAW_LIMIT", 40)
    reads = counted_reads(monkeypatch)
    assert_clean(page_test("directory").run())
    at = page_test("network").run()
    assert_clean(at)
    assert "each circle is one of" in texts(at)
    assert reads == ["snapshot"]


def wait_for_preparing() -> None:
    for thread in threading.enumerate():
        if thread.name == "netmap-prepare":
            thread.join(timeout=TIMEOUT)


def counted_builds(monkeypatch) -> list[str]:
    """The names of the indexes built (search, finder, gaps), as they are built."""
    from netmap.analysis.finder import FinderIndex
    from netmap.analysis.gaps import GapIndex
    from netmap.search_index import SearchIndex

    built = []
    for name, index in (("search", SearchIndex), ("finder", FinderIndex), ("gaps", GapIndex)):
        original = index.build.__func__
        monkeypatch.setattr(
            index,
            "build",
            classmethod(
                lambda cls, *args, name=name, original=original, **kwargs: (
                    built.append(name) or original(cls, *args, **kwargs)
                )
            ),
        )
    return built


def test_on_a_large_network_the_other_pages_are_prepared_after_the_first(on_demo, monkeypatch):
    monkeypatch.setattr(cached, "PREPARE_FROM", 100)  # the demo's 113 count as large
    monkeypatch.setattr(cached, "PREPARE_AFTER", 0.0)
    reads, built = counted_reads(monkeypatch), counted_builds(monkeypatch)
    import netmap.analysis.gaps as gaps_module

    real_gaps, reports = gaps_module.gaps, []
    monkeypatch.setattr(
        gaps_module, "gaps", lambda *a, **k: reports.append(k.get("city")) or real_gaps(*a, **k)
    )
    assert_clean(app_test().run())  # the Network page, drawn from the outline…
    wait_for_preparing()  # …then the whole network, the indexes and the whole gap report
    assert reads == ["outline", "snapshot"]
    assert sorted(built) == ["finder", "gaps", "search"]
    assert reports == [None]
    for page in ("directory", "finder", "gaps"):
        assert_clean(page_test(page).run())
    assert reads == ["outline", "snapshot"], "a page read the network again"
    assert sorted(built) == ["finder", "gaps", "search"], "a page built an index again"
    assert reports == [None], "the Gaps page worked out the whole network's gaps again"


def test_a_network_changed_while_waiting_to_prepare_is_not_prepared(on_demo, monkeypatch):
    monkeypatch.setattr(cached, "PREPARE_FROM", 100)
    monkeypatch.setattr(cached, "PREPARE_AFTER", 1.0)
    built = counted_builds(monkeypatch)
    assert_clean(app_test().run())
    record = on_demo.get(RecordKind.INSTITUTION, "gr-athens-ekka")
    on_demo.update(record.model_copy(update={"notes": "saved again"}))  # within the second
    wait_for_preparing()
    assert built == []


def test_a_small_network_is_not_prepared_in_advance(on_demo, monkeypatch):
    built = counted_builds(monkeypatch)
    assert_clean(app_test().run())
    wait_for_preparing()
    assert built == []  # each page builds what it needs, in a moment


def test_a_network_too_big_to_draw_shows_cities_that_can_be_opened(on_demo, monkeypatch):
    monkeypatch.setattr(viz, "PHYSICS_LIMIT", 10)
    monkeypatch.setattr(viz, "DRAW_LIMIT", 40)
    graph = institution_graph(on_demo.snapshot())
    reads = counted_reads(monkeypatch)
    at = page_test("network").run()
    assert_clean(at)
    assert "each circle is one of" in texts(at)
    assert reads == ["outline"]  # the places need no whole network
    # Counted from the places, the figures are those of the graph of institutions.
    country = dict(graph.nodes(data="country"))
    assert metric(at, "Institutions") == f"{graph.number_of_nodes():,}"
    assert metric(at, "Ties") == f"{graph.number_of_edges():,}"
    assert metric(at, "Countries") == str(len(set(country.values()) - {None}))
    cross = sum(country[u] != country[v] for u, v in graph.edges())
    assert metric(at, "Cross-border ties") == f"{cross:,}"
    at.selectbox(key="network-open-place").set_value("BG:Plovdiv").run()
    assert_clean(at)
    assert at.multiselect(key="network-cities").value == ["BG:Plovdiv"]
    assert metric(at, "Institutions") == "6"
    assert "computed once" not in texts(at)
    assert reads == ["outline", "snapshot"]  # drawing institutions does


def test_more_cities_than_can_be_drawn_are_drawn_as_their_countries(on_demo, monkeypatch):
    monkeypatch.setattr(viz, "PHYSICS_LIMIT", 2)
    monkeypatch.setattr(viz, "DRAW_LIMIT", 10)  # the demo has more cities, 7 countries
    at = page_test("network").run()
    assert_clean(at)
    assert "each circle is one of 7 countries" in texts(at)
    assert metric(at, "Institutions") == str(len(on_demo.snapshot().institutions))
    assert "network-open-place" not in [box.key for box in at.selectbox]


def test_measuring_a_big_network_waits_for_the_users_go(on_demo, monkeypatch):
    monkeypatch.setattr(viz, "DRAW_LIMIT", 50)
    at = page_test("gaps").run()
    assert_clean(at)
    assert "takes a while" in texts(at)
    at.button(key="gaps-measure").click().run()
    assert_clean(at)
    assert "takes a while" not in texts(at) and "Brokers" in texts(at)


def test_a_mid_sized_network_is_laid_out_once_with_physics_off(on_demo, monkeypatch):
    monkeypatch.setattr(viz, "PHYSICS_LIMIT", 20)
    at = page_test("network").run()
    assert_clean(at)
    assert "positions are computed once" in texts(at)


# --- Directory -------------------------------------------------------------------------------


def test_a_search_for_plovdiv_in_cyrillic_lists_the_plovdiv_institutions(on_demo):
    at = page_test("directory").run()
    at.text_input(key="directory-search").set_value("Пловдив").run()
    assert_clean(at)
    table = frames(at)[0]
    institutions = on_demo.snapshot().institutions
    in_plovdiv = set(institutions.loc[institutions["city"] == "Plovdiv", "name"])
    assert len(in_plovdiv) >= 5
    assert in_plovdiv <= set(table["Name"])
    assert "found for “Пловдив”" in texts(at)


def test_a_search_in_greek_finds_thessaloniki(on_demo):
    at = page_test("directory").run()
    at.text_input(key="directory-search").set_value("Θεσσαλονίκη").run()
    assert_clean(at)
    assert set(frames(at)[0]["City"]) == {"Thessaloniki"}


def test_a_profile_shows_contacts_ties_and_initiatives(on_demo):
    at = page_test("directory").run()
    at.selectbox(key="directory-profile").set_value("bg-plovdiv-municipality").run()
    assert_clean(at)
    shown = texts(at)
    assert "Plovdiv Municipality" in shown and "Община Пловдив" in shown
    assert "**Contacts** (1)" in shown and "**Ties**" in shown and "**Initiatives**" in shown
    contact_table = next(f for f in frames(at) if "Role" in f.columns)
    assert "Emil Valkov (Емил Вълков)" in set(contact_table["Name"])


def test_names_that_look_like_html_are_shown_as_text(on_demo):
    add_hostile_institution(on_demo)
    at = page_test("directory").run()
    at.selectbox(key="directory-profile").set_value(HOSTILE_ID).run()
    assert_clean(at)
    subheader = at.subheader[0].value
    # Escaped for markdown: shown as written, never as an image.
    assert subheader.replace("\\", "") == HOSTILE_NAME
    assert subheader.startswith("\\<img")


# --- Find a contact --------------------------------------------------------------------------


def test_the_contact_finder_returns_candidates_with_an_introduction_path(on_demo):
    at = page_test("finder").run()
    at.selectbox(key="finder-from").set_value("gr-thessaloniki-arsis").run()
    at.selectbox(key="finder-country").set_value("BG").run()
    assert_clean(at)
    shown = texts(at)
    assert "reachable through your partners" in shown
    paths = [m.value for m in at.markdown if m.value.startswith("**Introduction path**")]
    assert paths, "no introduction path shown"
    assert "ARSIS" in paths[0] and "→" in paths[0]
    assert at.get("iframe"), "the path is not drawn"


def test_the_contact_finder_narrows_by_city_in_any_script(on_demo):
    at = page_test("finder").run()
    at.selectbox(key="finder-from").set_value("gr-thessaloniki-arsis").run()
    at.selectbox(key="finder-country").set_value("BG").run()
    at.selectbox(key="finder-city").set_value("Plovdiv").run()
    assert_clean(at)
    assert "Plovdiv" in texts(at)


def test_past_the_choices_limit_a_search_comes_before_the_choice(on_demo, monkeypatch):
    monkeypatch.setattr(widgets, "CHOICES_LIMIT", 20)  # the demo's 113 count as many
    at = page_test("finder").run()
    assert at.selectbox(key="finder-from").options == []
    at.text_input(key="finder-from-search").input("арсис").run()  # ARSIS, typed in Cyrillic
    options = at.selectbox(key="finder-from").options
    assert options and all("ARSIS" in option for option in options), options
    at.selectbox(key="finder-from").set_value("gr-thessaloniki-arsis").run()
    at.text_input(key="finder-from-search").input("zzzz").run()  # the choice outlives a search
    assert at.selectbox(key="finder-from").value == "gr-thessaloniki-arsis"
    assert "No institution matches" in texts(at)
    at.selectbox(key="finder-country").set_value("BG").run()
    assert_clean(at)
    assert "reachable through your partners" in texts(at)


# --- Gaps and pathways -----------------------------------------------------------------------


def test_the_gaps_page_draws_heatmaps_and_explains_findings(on_demo):
    at = page_test("gaps").run()
    assert_clean(at)
    assert len(at.get("vega_lite_chart")) >= 2  # coverage and the cross-border matrix
    assert "Single points of failure" in texts(at)
    assert at.get("download_button")


def test_gaps_of_one_city_given_in_its_own_script(on_demo):
    at = page_test("gaps").run()
    at.button_group(key="gaps-scope").set_value("A city").run()
    at.selectbox(key="gaps-city").set_value("RS:Niš").run()
    assert_clean(at)
    assert "Niš" in texts(at)


def test_pathways_from_an_institution(on_demo):
    at = page_test("gaps").run()
    at.selectbox(key="gaps-pathway-from").set_value("gr-thessaloniki-arsis").run()
    at.selectbox(key="gaps-return-from").set_value("GR").run()
    at.selectbox(key="gaps-return-to").set_value("BG").run()
    assert_clean(at)
    assert "ARSIS" in texts(at)


def heatmap_cells(at, index: int = 0):
    """The cells of a heatmap on the page, as a table: row, key, n, column."""
    dataset = at.get("vega_lite_chart")[index].proto.datasets[0]
    return pyarrow.ipc.open_stream(dataset.data.data).read_all().to_pandas()


def test_counting_modelled_records_changes_the_coverage_and_the_gaps_together(on_demo):
    on_demo.add(
        Institution(
            id="ch-bern-modelled-child-protection",
            name="Child protection (modelled)",
            sector="child_protection",
            kind="government",
            country="CH",
            city="Bern",
            evidence="modelled",
        )
    )
    at = page_test("gaps").run()
    assert_clean(at)
    assert "Bern, CH" not in set(heatmap_cells(at)["row"])
    missing = int(metric(at, "Stages not recorded"))
    at.session_state["include-modelled"] = True  # the sidebar's checkbox
    at.run()
    assert_clean(at)
    assert "Bern, CH" in set(heatmap_cells(at)["row"]), "the coverage was cached without it"
    assert int(metric(at, "Stages not recorded")) < missing, "the gaps were cached without it"


# --- Map -------------------------------------------------------------------------------------


def test_the_map_needs_no_base_map_and_shows_names_as_text(on_demo):
    at = page_test("map").run()
    assert_clean(at)
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    # pydeck's placeholder: Streamlit then draws no base map (no tiles from the internet).
    assert spec["mapStyle"] == "__MAP_STYLE__"
    assert "cartocdn" not in json.dumps(spec) and "mapbox" not in json.dumps(spec)
    layers = {layer["@@type"] for layer in spec["layers"]}
    assert {"ScatterplotLayer", "ArcLayer", "TextLayer"} <= layers


def test_the_map_tooltip_is_plain_text(on_demo):
    at = page_test("map").run()
    tooltip = json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)
    assert set(tooltip) == {"text"}


# --- Data ------------------------------------------------------------------------------------

BAD_INSTITUTIONS = (
    "id,name,sector,country,city\n"
    "x-good,A good one,police,BG,Sofia\n"
    "x-bad,A bad one,socal_services,BG,Sofia\n"
    "x-empty,,police,Bulgaria,Sofia\n"
)


def test_an_import_with_mistakes_lists_them_by_file_row_and_field_and_writes_nothing(on_demo):
    before = (on_demo.revision(), on_demo.counts())
    at = page_test("data").run()
    at.file_uploader(key="data-upload").set_value(
        ("institutions.csv", BAD_INSTITUTIONS.encode(), "text/csv")
    ).run()
    assert_clean_except_report(at)
    listing = "\n".join(code.value for code in at.code)
    assert "institutions.csv:3: sector: unknown sector 'socal_services'" in listing
    assert "institutions.csv:4: name: required, but empty" in listing
    assert "institutions.csv:4: country:" in listing
    assert any("nothing will be written" in e.value for e in at.error)
    assert not _has(at, "data-confirm")
    assert (on_demo.revision(), on_demo.counts()) == before


def assert_clean_except_report(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _has(at, key: str) -> bool:
    try:
        at.button(key=key)
    except KeyError:
        return False
    return True


def test_a_clean_import_shows_the_dry_run_then_writes_on_confirmation(on_demo):
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
    plan = frames(at)[0]
    assert plan.set_index("Table").loc["institutions", "New"] == 1
    assert on_demo.existing_ids(RecordKind.INSTITUTION, {"bg-sofia-new"}) == set()
    at.button(key="data-confirm").click().run()
    assert_clean(at)
    assert any("Imported 1 change" in s.value for s in at.success)
    assert on_demo.existing_ids(RecordKind.INSTITUTION, {"bg-sofia-new"}) == {"bg-sofia-new"}


def test_the_data_page_offers_every_export_format_and_the_change_log(on_demo):
    at = page_test("data").run()
    assert_clean(at)
    assert len(at.selectbox(key="data-format").options) == 5
    assert at.get("download_button")
    log = frames(at)[-1]
    assert {"When", "Who", "What", "Record"} <= set(log.columns)


# --- Edit ------------------------------------------------------------------------------------

FORM = "edit-form-institutions-bg-plovdiv-municipality-0"


def open_for_edit(at, record_id: str = "bg-plovdiv-municipality"):
    at.selectbox(key="edit-record-institutions").set_value(record_id).run()
    assert_clean(at)
    return at


def test_an_edit_is_saved_with_the_same_validation_as_an_import(on_demo):
    at = open_for_edit(page_test("edit").run())
    # Form fields are sent with the form: set them, then press the form's button.
    at.text_input(key=f"{FORM}-email").set_value("not an address")
    at.button(key=f"{FORM}-save").click().run()
    assert any("email:" in e.value and "not an e-mail address" in e.value for e in at.error)
    at.text_input(key=f"{FORM}-email").set_value("office@plovdiv.bg")
    at.button(key=f"{FORM}-save").click().run()
    assert_clean(at)
    assert any("Saved institution" in s.value for s in at.success)
    stored = on_demo.get(RecordKind.INSTITUTION, "bg-plovdiv-municipality")
    assert stored.email == "office@plovdiv.bg"


def test_the_edit_form_names_countries_and_languages_as_every_other_page(on_demo):
    at = open_for_edit(page_test("edit").run())
    assert "Moldova (MD)" in at.selectbox(key=f"{FORM}-country").options
    assert "Kosovo (XK)" in at.selectbox(key=f"{FORM}-country").options
    languages = at.multiselect(key=f"{FORM}-languages").options
    assert "Greek (el)" in languages and "Bulgarian (bg)" in languages
    assert not any("Modern" in language for language in languages)


def test_an_edit_on_a_stale_version_is_refused_with_a_message(on_demo):
    at = open_for_edit(page_test("edit").run())
    # Someone else saves the same institution first.
    theirs = on_demo.get(RecordKind.INSTITUTION, "bg-plovdiv-municipality")
    on_demo.update(theirs.model_copy(update={"acronym": "OP"}))
    at.text_input(key=f"{FORM}-acronym").set_value("MINE")
    at.button(key=f"{FORM}-save").click().run()
    assert not at.exception
    messages = " ".join(e.value for e in at.error)
    assert "changed by someone else" in messages and "Not saved" in messages
    stored = on_demo.get(RecordKind.INSTITUTION, "bg-plovdiv-municipality")
    assert stored.acronym == "OP"
    # Reloading shows what the other person saved.
    at.button(key="edit-reload").click().run()
    assert_clean(at)
    assert at.text_input(key=f"{FORM[:-1]}1-acronym").value == "OP"


def test_a_new_institution_is_added(on_demo):
    at = page_test("edit").run()
    at.button_group(key="edit-action").set_value("Add a new one").run()
    form = "edit-form-institutions-new-0"
    at.text_input(key=f"{form}-name").set_value("Ново убежище")
    at.selectbox(key=f"{form}-sector").set_value("civil_society")
    at.selectbox(key=f"{form}-country").set_value("BG")
    at.text_input(key=f"{form}-city").set_value("Plovdiv")
    at.button(key=f"{form}-save").click().run()
    assert_clean(at)
    assert any("Saved institution" in s.value for s in at.success)
    added = on_demo.snapshot().institutions.query("name == 'Ново убежище'")
    assert len(added) == 1 and added.iloc[0]["id"].startswith("bg-plovdiv-")
    # The page goes on to the new record, ready for more edits.
    assert at.selectbox(key="edit-record-institutions").value == added.iloc[0]["id"]


def test_a_delete_on_a_stale_version_is_refused(on_demo):
    at = page_test("edit").run()
    at.button_group(key="edit-action").set_value("Delete one").run()
    open_for_edit(at)
    theirs = on_demo.get(RecordKind.INSTITUTION, "bg-plovdiv-municipality")
    on_demo.update(theirs.model_copy(update={"acronym": "OP"}))
    at.checkbox(key="edit-sure-institutions-bg-plovdiv-municipality").check().run()
    at.button(key="edit-delete").click().run()
    assert any("changed by someone else" in e.value for e in at.error)
    assert on_demo.existing_ids(RecordKind.INSTITUTION, {"bg-plovdiv-municipality"})


# --- roles -----------------------------------------------------------------------------------

NEEDS = {page.name: page.role for page in APP_PAGES}
ORDER = ["viewer", "member", "editor", "admin"]


@pytest.mark.parametrize("role", ORDER)
@pytest.mark.parametrize("page", list(PAGES))
def test_each_page_lets_in_exactly_the_roles_it_needs(on_demo, monkeypatch, role, page):
    monkeypatch.setenv("NETMAP_ROLE", role)
    at = page_test(page).run()
    assert not at.exception
    needed = NEEDS.get(page, "viewer")
    denied = any("This page needs the role" in e.value for e in at.error)
    assert denied == (ORDER.index(role) < ORDER.index(needed))


def test_every_page_passes_the_one_gate_first():
    for name, path in PAGES.items():
        source = path.read_text(encoding="utf-8")
        main = source[source.index("def main() -> None:") :]
        first_call = main.splitlines()[1].strip()
        assert first_call.startswith("require("), f"{name}: main() does not begin with require()"


def test_a_viewer_sees_no_contact_details_anywhere(on_demo, monkeypatch):
    monkeypatch.setenv("NETMAP_ROLE", "viewer")
    contacts = on_demo.snapshot().contacts
    secrets = {v for v in [*contacts["email"], *contacts["phone"], *contacts["name"]] if v}
    assert secrets
    shown = []
    at = page_test("directory").run()
    at.selectbox(key="directory-profile").set_value("bg-plovdiv-municipality").run()
    shown.append(texts(at))
    shown += [f.to_csv() for f in frames(at)]
    at.text_input(key="directory-search").set_value("Valkov").run()
    shown += [f.to_csv() for f in frames(at)]
    at = page_test("finder").run()
    at.selectbox(key="finder-from").set_value("gr-thessaloniki-arsis").run()
    at.selectbox(key="finder-country").set_value("BG").run()
    shown.append(texts(at))
    at = page_test("gaps").run()
    shown.append(texts(at))
    shown += [f.to_csv() for f in frames(at)]
    everything = "\n".join(shown)
    for secret in secrets:
        assert secret not in everything, f"a viewer sees {secret!r}"
    at = page_test("data").run()
    assert at.checkbox(key="data-redact").value is True
    assert at.checkbox(key="data-redact").disabled


def test_a_member_sees_contact_details(on_demo, monkeypatch):
    monkeypatch.setenv("NETMAP_ROLE", "member")
    at = page_test("directory").run()
    at.selectbox(key="directory-profile").set_value("bg-plovdiv-municipality").run()
    contact_table = next(f for f in frames(at) if "Role" in f.columns)
    assert "Emil Valkov (Емил Вълков)" in set(contact_table["Name"])


def test_the_hostile_name_reaches_the_graph_only_escaped(on_demo):
    add_hostile_institution(on_demo)
    at = page_test("network").run()
    assert_clean(at)
    html = at.get("iframe")[0].proto.srcdoc
    assert HOSTILE_NAME not in html
    assert "<img src=x" not in html
    assert "popup.innerHTML" not in html
