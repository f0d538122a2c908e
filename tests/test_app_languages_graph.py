"""The Network and Map pages, their drawings and the metrics they show, in every language.

Each page is rendered with Streamlit's AppTest in Greek, Bulgarian, Serbian (both scripts)
and Romanian, with the interactions that bring out the rest of their words (a path, a
search, a clicked institution, the graph coloured by community, sized by betweenness, the
places of a network too big to draw, a city placed on the map…). Every text the page
sends to the browser (markdown, captions, labels, help, placeholders, options, the data
of the live graph and of the map, the page of the places' graph) is read from the
elements' protobufs, and none may hold an English message of these files: the messages
are read from the code as ``pybabel extract`` reads them, so a new one is checked too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from app_fixtures import assert_clean, page_test
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file

from netmap import viz
from netmap.i18n import gettext, language
from netmap.model import Institution, RecordKind

ROOT = Path(__file__).resolve().parents[1]
#: The files whose messages these pages show.
FILES = (
    "netmap/ui/pages/network.py",
    "netmap/ui/pages/map.py",
    "netmap/ui/graph.py",
    "netmap/viz.py",
    "netmap/analysis/metrics.py",
    "netmap/analysis/kernels.py",
)
LANGUAGES = ("bg", "el", "sr", "sr_Latn", "ro")
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "lazy_gettext": None}
#: A fragment shorter than this could be a name or a word of the data.
SHORTEST = 13


def english_fragments() -> set[str]:
    """The fixed parts of every message of :data:`FILES` (the text between placeholders
    and markdown), long enough not to be a word that other languages write alike."""
    found = set()
    for name in FILES:
        for _line, message, _comments, _context in extract_from_file(
            "python", ROOT / name, keywords=KEYWORDS
        ):
            for text in message if isinstance(message, tuple) else (message,):
                for part in re.split(r"%\(\w+\)[sdr]|\*\*", text):
                    part = part.strip(" .,:;()“”•")
                    if len(part) >= SHORTEST:
                        found.add(part)
    return found


ENGLISH = english_fragments()


def _strings(message) -> list[str]:
    """Every string held in a protobuf message, however deep."""
    found = []
    for _field, value in message.ListFields():
        if isinstance(value, (str, bytes, int, float)) or hasattr(value, "ListFields"):
            values = [value]
        else:  # a repeated field or a map
            values = list(value.values()) if hasattr(value, "values") else list(value)
        for item in values:
            if isinstance(item, str):
                found.append(item)
            elif hasattr(item, "ListFields"):
                found += _strings(item)
    return found


def shown(at, skip: str | None = None) -> str:
    """Every text the page sent: the strings of every element and block (but those in
    the container whose key is ``skip``), JSON data (the live graph's, the map's) decoded
    so that escapes do not hide a word."""
    parts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if skip and skip in str(getattr(proto, "id", "")):
            return
        if proto is not None and hasattr(proto, "ListFields"):
            parts.extend(_strings(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    decoded = []
    for part in parts:
        if part[:1] in "{[":
            try:
                decoded.append(json.dumps(json.loads(part), ensure_ascii=False))
                continue
            except ValueError:
                pass
        decoded.append(part)
    return "\n".join(decoded)


def english_in(at, skip: str | None = None) -> list[str]:
    """The English fragments the page shows, each with the text around it."""
    text = shown(at, skip)
    found = []
    for fragment in sorted(ENGLISH):
        at_ = text.find(fragment)
        if at_ >= 0:
            found.append(f"{fragment!r} in …{text[max(at_ - 60, 0) : at_ + len(fragment) + 60]}…")
    return found


@pytest.fixture(params=LANGUAGES)
def lang(request, demo_store, monkeypatch):
    """The demo network, with the app in ``request.param`` (as NETMAP_LANG sets it).

    The network is changed once, so that it is no longer the demo: the note about the
    demo (another file's message, which quotes a label of this page) is not shown."""
    record = demo_store.get(RecordKind.INSTITUTION, "gr-athens-ekka")
    demo_store.update(record.model_copy(update={"notes": "our own network from now on"}))
    monkeypatch.setenv("NETMAP_STORE", demo_store.url)
    monkeypatch.delenv("NETMAP_ROLE", raising=False)
    monkeypatch.setenv("NETMAP_LANG", request.param)
    return request.param


def check(at, lang: str, title: str, *, error: bool = False, profile: bool = False) -> None:
    """The run went well (or showed an ``error`` it had to), in ``lang`` (its title is
    translated), and shows no English. With ``profile`` the institution's profile beside
    the graph is left out: it is another file's (netmap/ui/profile.py)."""
    if error:
        assert not at.exception and at.error
    else:
        assert_clean(at)
    with language(lang):
        assert gettext(title) != title
        assert gettext(title) in [t.value for t in at.title]
    found = english_in(at, skip="network-side" if profile else None)
    assert found == [], "\n".join(found)


def test_the_english_messages_are_found_where_english_is_shown(demo_store, monkeypatch):
    """The check can fail: in English the same pages show many of the messages."""
    monkeypatch.setenv("NETMAP_STORE", demo_store.url)
    monkeypatch.setenv("NETMAP_LANG", "en")
    at = page_test("network").run()
    assert_clean(at)
    found = [entry.split(" in …")[0].strip("'") for entry in english_in(at)]
    assert "The layout settles by itself; drag a node to move it" in found
    assert "Show every institution of this view" in found  # the graph's own toolbar
    assert "Count sharing an initiative as a weak tie" in found
    assert len(found) > 20


def test_the_network_page_speaks_the_language(lang):
    at = page_test("network").run()
    check(at, lang, "Network")
    (data,) = [json.loads(e.proto.json) for e in at.get("bidi_component")]
    with language(lang):
        assert data["texts"]["fit"] == gettext("Whole view")
        assert gettext("Tie within a country") in [e["label"] for e in data["legend"]]


def test_the_network_pages_interactions_speak_the_language(lang):
    at = page_test("network").run()
    at.selectbox(key="network-path-from").set_value("gr-thessaloniki-arsis").run()
    at.selectbox(key="network-path-to").set_value("bg-sofia-sacp").run()
    check(at, lang, "Network")
    assert at.success
    at.selectbox(key="network-size").set_value("betweenness").run()
    at.selectbox(key="network-colour").set_value("community").run()
    check(at, lang, "Network")
    at.checkbox(key="network-dated").check().run()
    at.button_group(key="network-when").set_value("a day").run()
    check(at, lang, "Network")
    at.session_state["network-selected"] = "gr-athens-ekka"
    at.run()
    check(at, lang, "Network", profile=True)
    with language(lang):
        assert at.button(key="network-close").label == gettext("Close the profile")


def test_the_network_search_speaks_the_language(lang):
    at = page_test("network").run()
    at.text_input(key="network-find").input("Red Cros Novi Sd").run()
    check(at, lang, "Network", profile=True)
    at.multiselect(key="network-countries").set_value(["BG"]).run()
    at.text_input(key="network-find").input("Novi Sad").run()
    check(at, lang, "Network")
    assert at.caption


def test_large_networks_speak_the_language(lang, monkeypatch):
    monkeypatch.setattr(viz, "PHYSICS_LIMIT", 10)
    monkeypatch.setattr(viz, "DRAW_LIMIT", 40)
    at = page_test("network").run()
    check(at, lang, "Network")  # the places, their note, legend and tooltips
    at.selectbox(key="network-open-place").set_value("BG:Plovdiv").run()
    check(at, lang, "Network")
    monkeypatch.setattr(viz, "PHYSICS_LIMIT", 2)
    monkeypatch.setattr(viz, "DRAW_LIMIT", 10)
    check(page_test("network").run(), lang, "Network")  # countries


def test_a_laid_out_network_speaks_the_language(lang, monkeypatch):
    monkeypatch.setattr(viz, "PHYSICS_LIMIT", 20)
    check(page_test("network").run(), lang, "Network")


def test_the_map_speaks_the_language(lang, demo_store):
    demo_store.add(
        Institution(
            id="gr-kavala-shelter",
            name="Kavala shelter",
            sector="social_services",
            country="GR",
            city="Kavala",
        )
    )
    at = page_test("map").run()
    check(at, lang, "Map")
    at.number_input(key="map-lat").set_value(40.94)
    submit(at)  # a latitude without a longitude
    check(at, lang, "Map", error=True)
    assert at.error
    at.selectbox(key="map-city").set_value("GR:Kavala")
    at.number_input(key="map-lat").set_value(40.94)
    at.number_input(key="map-lon").set_value(24.41)
    submit(at)
    check(at, lang, "Map")
    assert at.success
    at.toggle(key="map-cross").set_value(True).run()
    at.button_group(key="map-level").set_value("country").run()
    check(at, lang, "Map")


def submit(at) -> None:
    """Press the coordinates form's button (whatever its label says)."""
    (button,) = [b for b in at.button if b.proto.is_form_submitter]
    button.click().run()


def test_a_viewer_reads_the_map_in_the_language(lang, demo_store, monkeypatch):
    demo_store.add(
        Institution(id="gr-kavala-x", name="Kavala x", sector="police", country="GR", city="Kavala")
    )
    monkeypatch.setenv("NETMAP_ROLE", "viewer")
    check(page_test("map").run(), lang, "Map")
