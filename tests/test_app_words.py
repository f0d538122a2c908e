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
