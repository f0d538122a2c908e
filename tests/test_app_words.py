"""The app in words people read, driven by AppTest on the demo network: a map with land and
borders whose unplaced cities can be placed, contact cards a user can call from, and
tables with human headers, formatted dates and no Python structures in their cells.
"""

from __future__ import annotations

import json
import re

import pytest
from app_fixtures import frames, page_test
from app_fixtures import texts as escaped_texts

from netmap.errors import ValidationFailed
from netmap.io.forms import locate_city
from netmap.model import City, Institution, RecordKind


@pytest.fixture
def on_demo(demo_store, monkeypatch):
    """Point the app at a private copy of the demo network, as its admin."""
    monkeypatch.setenv("NETMAP_STORE", demo_store.url)
    monkeypatch.delenv("NETMAP_ROLE", raising=False)
    return demo_store


def texts(at) -> str:
    """What the user reads (Markdown's escapes taken out)."""
    return escaped_texts(at).replace("\\", "")


def assert_clean(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def add_kavala(store) -> None:
    """An institution in Kavala, a city the cities table does not know (no coordinates)."""
    store.add(
        Institution(
            id="gr-kavala-shelter",
            name="Kavala shelter",
            sector="social_services",
            country="GR",
            city="Kavala",
        )
    )


# --- the map ---------------------------------------------------------------------------------


def map_spec(at) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def test_the_map_draws_natural_earth_land_and_borders_and_no_tiles(on_demo):
    at = page_test("map").run()
    assert_clean(at)
    layers = {layer["id"]: layer for layer in map_spec(at)["layers"]}
    assert list(layers) == ["land", "graticule", "borders", "ties", "places", "names"]
    assert layers["land"]["@@type"] == layers["borders"]["@@type"] == "GeoJsonLayer"
    assert not any("Tile" in layer["@@type"] for layer in layers.values())
    named = [row["label"] for row in layers["names"]["data"]]
    assert "Plovdiv" in named and "Pazardzhik" not in named  # 6 institutions beat 5
    shown = texts(at)
    assert "left off so that none covers another" in shown
    assert "Institutions that name no city" in shown and "Greece (14)" in shown


def test_a_city_without_coordinates_is_listed_under_the_map_and_an_editor_places_it(on_demo):
    add_kavala(on_demo)
    at = page_test("map").run()
    assert_clean(at)
    assert "1 city is not on the map" in texts(at)
    listed = next(f for f in frames(at) if "City" in f.columns)
    assert listed.to_dict("records") == [{"City": "Kavala", "Country": "Greece", "Institutions": 1}]
    at.selectbox(key="map-city").set_value("GR:Kavala")
    at.number_input(key="map-lat").set_value(40.94)
    at.number_input(key="map-lon").set_value(24.41)
    next(b for b in at.button if b.label == "Save the coordinates").click().run()
    assert_clean(at)
    assert "Saved the coordinates of Kavala." in texts(at)
    assert "not on the map" not in texts(at)
    places = next(layer for layer in map_spec(at)["layers"] if layer["id"] == "places")
    assert "Kavala" in {row["label"] for row in places["data"]}
    [kavala] = [c for c in on_demo.list(RecordKind.CITY) if c.name == "Kavala"]
    assert (kavala.lat, kavala.lon, kavala.evidence) == (40.94, 24.41, "reported")


def test_a_viewer_sees_the_unplaced_cities_but_no_form(on_demo, monkeypatch):
    add_kavala(on_demo)
    monkeypatch.setenv("NETMAP_ROLE", "viewer")
    at = page_test("map").run()
    assert_clean(at)
    assert "1 city is not on the map" in texts(at)
    assert not [b for b in at.button if b.label == "Save the coordinates"]
    assert "An editor can add their coordinates" in texts(at)


def test_coordinates_are_checked_as_an_import_checks_them(demo_store):
    add_kavala(demo_store)
    with pytest.raises(ValidationFailed) as failed:
        locate_city(demo_store, "GR", "Kavala", 95.0, 24.41, reported_by="tester")
    assert failed.value.problems[0].field == "lat"
    assert "largest allowed value, 90" in failed.value.problems[0].message
    with pytest.raises(ValidationFailed):
        locate_city(demo_store, "GR", "Kavala", 40.94, None, reported_by="tester")
    assert not [c for c in demo_store.list(RecordKind.CITY) if c.name == "Kavala"]


def test_a_city_the_cities_table_knows_keeps_its_row_and_gets_the_coordinates(demo_store):
    demo_store.add(City(name="Kavala", name_local="Καβάλα", country="GR", evidence="reported"))
    saved = locate_city(demo_store, "GR", "Καβάλα", 40.94, 24.41, reported_by="tester")
    assert (saved.name, saved.name_local, saved.lat, saved.lon) == (
        "Kavala",
        "Καβάλα",
        40.94,
        24.41,
    )
    assert len([c for c in demo_store.list(RecordKind.CITY) if c.name == "Kavala"]) == 1


# --- Find a contact: cards you can call from -------------------------------------------------

A21 = {
    "phone": "+359 2 123 4567",
    "email": "bulgaria@a21.org",
    "website": "www.a21.org/bulgaria",
    "address": "ul. Graf Ignatiev 1, Sofia",
}


def give(store, kind: RecordKind, record_id: str, **values) -> None:
    record = store.get(kind, record_id)
    store.update(type(record).model_validate({**record.model_dump(), **values}))


def cards(at) -> dict[str, list[str]]:
    """Each card's Markdown, by the institution's name in its heading."""
    found: dict[str, list[str]] = {}
    current = None
    for element in at.markdown:
        heading = re.fullmatch(r"\*\*\d+\. (.+)\*\*", element.value)
        if heading:
            current = heading[1].replace("\\", "")
            found[current] = []
        elif current is not None:
            found[current].append(element.value)
    return found


def ask(at, city: str | None = None):
    at.selectbox(key="finder-from").set_value("gr-thessaloniki-arsis").run()
    at.selectbox(key="finder-country").set_value("BG").run()
    if city:
        at.selectbox(key="finder-city").set_value(city).run()
    assert_clean(at)
    return at


def test_a_card_with_no_contact_person_says_how_to_reach_the_institution(on_demo, monkeypatch):
    give(on_demo, RecordKind.INSTITUTION, "bg-a21", **A21)
    monkeypatch.setenv("NETMAP_ROLE", "viewer")  # the institution's own details are for all
    at = ask(page_test("finder").run())
    [line] = [m for m in cards(at)["A21 (Bulgaria)"] if ":material/call:" in m]
    assert "[+359 2 123 4567](tel:+35921234567)" in line.replace("\\", "")
    assert "(mailto:bulgaria@a21.org)" in line
    assert "(https://www.a21.org/bulgaria)" in line
    assert ":material/location_on: ul\\. Graf Ignatiev 1, Sofia" in line
    assert "No contact person recorded: reach the institution itself." in texts(at)
    nothing = cards(at)["Animus Association Foundation"]
    assert not any(":material/call:" in m for m in nothing)
    assert "No phone, e-mail, website or address of the institution is recorded." in texts(at)


def test_a_website_that_is_not_http_is_never_a_link(on_demo):
    # the model refuses such a website; one read from an old store must still be safe
    from netmap.directory import how_to_reach

    [way] = how_to_reach({"website": "javascript:alert(1)"})
    assert way.link is None or way.link.startswith("https://")
    [way] = how_to_reach({"email": "not an address"})
    assert way.link is None


def test_a_contact_persons_details_are_for_members_and_the_institutions_for_all(
    on_demo, monkeypatch
):
    give(on_demo, RecordKind.INSTITUTION, "bg-plovdiv-municipality", phone="+359 32 656 700")
    give(on_demo, RecordKind.CONTACT, "c-plovdiv-valkov", email="e.valkov@plovdiv.bg")
    monkeypatch.setenv("NETMAP_ROLE", "member")
    member = cards(ask(page_test("finder").run(), "Plovdiv"))
    [heading] = [h for h in member if h.startswith("Emil Valkov")]
    person = " ".join(member[heading])
    assert "**Contact person** · Role: Head of the" in person
    assert "(mailto:e.valkov@plovdiv.bg)" in person
    assert "+359 32 656 700" in person  # the institution's own phone
    monkeypatch.setenv("NETMAP_ROLE", "viewer")
    viewer_at = ask(page_test("finder").run(), "Plovdiv")
    viewer = cards(viewer_at)
    [heading] = [h for h in viewer if "Plovdiv Municipality" in h and "Emil" not in h]
    shown = " ".join(viewer[heading]) + texts(viewer_at)
    assert "e.valkov" not in shown and "Emil Valkov" not in shown
    assert "Role: Head of the" in shown  # by role and institution
    assert "+359 32 656 700" in shown  # the institution's phone is not personal
    assert "shown to members only" in shown


def test_every_card_links_to_the_institutions_profile(on_demo):
    at = ask(page_test("finder").run())
    links = [m.value for m in at.markdown if m.value.startswith("[Open the profile of")]
    assert "[Open the profile of A21 \\(Bulgaria\\)](/directory?institution=bg-a21)" in links
    assert len(links) == len(cards(at))


def test_the_profile_link_opens_the_profile_in_the_app(on_demo):
    from app_fixtures import app_test

    from netmap.ui.navigation import PAGES

    path = {page.name: str(page.path) for page in PAGES}
    at = app_test().run()
    at.switch_page(path["finder"]).run()
    ask(at)
    links = [link.proto for link in at.get("page_link")]
    a21 = next(link for link in links if link.label == "Open the profile of A21 (Bulgaria)")
    assert a21.page == "directory" and a21.query_string == "institution=bg-a21"
    at.query_params["institution"] = "bg-a21"  # what following the link does
    at.switch_page(path["directory"]).run()
    assert_clean(at)
    assert at.subheader[0].value == "A21 \\(Bulgaria\\)"
    assert "institution" not in at.query_params  # read once: the user may choose another


def test_the_drawn_path_runs_as_the_written_one(on_demo):
    at = ask(page_test("finder").run())
    frame = at.get("iframe")[0].proto.srcdoc
    edges = json.loads(re.search(r"var edges = new vis\.DataSet\(withTips\((.*)\)\);", frame)[1])
    assert [(e["from"], e["to"], e["arrows"]) for e in edges] == [
        ("gr-thessaloniki-arsis", "bg-a21", "to")
    ]


# --- tables in words ---------------------------------------------------------------------

RAW_DATE = re.compile(r"\d{4}-\d{2}(-\d{2})?(T[\d:.+-]+)?")


def every_table(at_runs) -> list:
    return [frame for at in at_runs for frame in frames(at)]


def visit_every_table(on_demo) -> list:
    """Open each page with the choices that bring out its tables; return the runs."""
    record = on_demo.get(RecordKind.INSTITUTION, "bg-plovdiv-municipality")
    on_demo.update(record.model_copy(update={"last_verified": "2026-11-03", "acronym": "PM"}))
    runs = []
    at = page_test("directory").run()
    at.selectbox(key="directory-profile").set_value("bg-plovdiv-municipality").run()
    runs.append(at)
    at = page_test("directory").run()
    at.selectbox(key="directory-profile").set_value("gr-thessaloniki-arsis").run()
    runs.append(at)
    at = page_test("gaps").run()
    at.selectbox(key="gaps-pathway-from").set_value("gr-thessaloniki-arsis").run()
    at.selectbox(key="gaps-return-from").set_value("CH").run()
    at.selectbox(key="gaps-return-to").set_value("BG").run()
    runs.append(at)
    runs.append(page_test("map").run())
    runs.append(page_test("data").run())
    at = page_test("admin").run()
    at.number_input(key="admin-stale-months").set_value(1).run()
    runs.append(at)
    for at in runs:
        assert_clean(at)
    return runs


def assert_in_words(frame) -> None:
    for column in frame.columns:
        assert "_" not in str(column), f"a snake_case header: {column!r}"
        assert not str(column)[:1].islower(), f"a header that is a key: {column!r}"
    for column in frame.columns:
        for cell in frame[column]:
            text = str(cell)
            assert not text.startswith(("{", "[")), f"{column}: a Python structure {text!r}"
            assert "': " not in text, f"{column}: a Python dict {text!r}"
            assert not RAW_DATE.fullmatch(text), f"{column}: a raw ISO date {text!r}"
            if column not in ("Id", "Record"):  # a source's id is its file name
                assert ".txt" not in text, f"{column}: a source as a file name {text!r}"
            assert text not in ("None", "nan", "NaN", "True", "False"), f"{column}: {text!r}"


def test_every_table_a_user_sees_reads_in_words(on_demo):
    tables = every_table(visit_every_table(on_demo))
    assert len(tables) >= 15  # directory, profiles, gaps, map, data, admin
    for frame in tables:
        assert_in_words(frame)
    headers = {column for frame in tables for column in frame.columns}
    assert {"Last verified", "How sure", "Would be cut off", "Months since verified"} <= headers
    cells = {str(cell) for frame in tables for column in frame.columns for cell in frame[column]}
    assert "3 Nov 2026" in cells  # the date given, in words
    assert "Jun 2017" in cells or "21 Jun 2017" in cells  # an initiative's dates


def test_every_table_offered_as_csv_has_human_headers_too(on_demo, monkeypatch):
    from netmap.ui import widgets

    offered = []
    original = widgets.csv_download

    def recording(frame, *args, **kwargs):
        offered.append(frame)
        original(frame, *args, **kwargs)

    monkeypatch.setattr(widgets, "csv_download", recording)
    visit_every_table(on_demo)
    assert len(offered) >= 10
    for frame in offered:
        assert_in_words(frame)


def test_a_single_point_of_failure_lists_its_broken_hand_overs_in_words(on_demo):
    at = page_test("gaps").run()
    assert_clean(at)
    table = next(f for f in frames(at) if "Hand-overs that would break" in f.columns)
    cells = [c for c in table["Hand-overs that would break"] if c]
    assert cells and all("→" in cell and "{" not in cell for cell in cells)
    assert "Identification → Notification" in " ".join(cells)


def test_sources_are_cited_by_title_in_the_gaps_tables(on_demo):
    at = page_test("gaps").run()
    table = next(f for f in frames(at) if "Sources" in f.columns)
    cited = " ".join(table["Sources"])
    assert "Closing conference of the Bulgarian–Swiss programme" in cited
    assert ".txt" not in cited


def test_metrics_caught_between_their_last_step_and_their_end_show_no_error(on_demo, monkeypatch):
    """The measuring thread says "" as its step once done, a moment before it is finished:
    the page must not look that up as a step (a KeyError on the Gaps page)."""
    from netmap.ui import cached

    class Caught:
        done, total, step, failed = 8, 8, "", False
        waits = iter([False, False, True])

        def wait(self, seconds):
            return next(self.waits)

        def result(self):
            return real(cached.graph(on_demo, flt))

    from netmap.analysis.metrics import metrics as real
    from netmap.graph import NetworkFilter

    flt = NetworkFilter()
    monkeypatch.setattr(cached, "_measuring", lambda store, f, implied: Caught())
    at = page_test("gaps").run()
    assert_clean(at)
    assert any(bar.proto.text.endswith(": Done") for bar in at.progress)


def test_the_graphs_tooltips_cite_sources_by_title_not_by_file_name(on_demo):
    """A demo institution's source is a file name (``000_99ebc6db12e554c9.txt``): its
    tooltip names the document instead, as the profile does."""
    from app_fixtures import graph_data

    sources = on_demo.snapshot().sources
    at = page_test("network").run()
    (data,) = graph_data(at)
    cited = [
        value
        for node in data["nodes"]
        for label, value in node["tip"]["rows"]
        if label == "Source" and value
    ]
    assert cited, "no tooltip names a source"
    assert not any(source_id in value for value in cited for source_id in sources["id"])
    assert any(title in value for value in cited for title in sources["title"])
