"""Gaps and pathways, Find a contact and the Directory (with its profiles) read in every
interface language: rendered with AppTest in Greek, Bulgarian, Serbian (both scripts) and
Romanian, none of the English texts these pages mark for translation may be left on them.

The English texts are read from the code as ``pybabel extract`` reads them (the messages of
the pages, the profile, the directory's reasons and the tables' headers); a text is looked
for by its words between placeholders, twelve characters or more, so a short word shared by
two languages ("Sector", "Link") or a name from the data never counts. The same pages in
English must show many of them: a check that found none in English could not fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from app_fixtures import assert_clean, page_test
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file

ROOT = Path(__file__).resolve().parents[1]
#: The files whose messages these pages show.
MARKED = [
    "netmap/ui/pages/gaps.py",
    "netmap/ui/pages/finder.py",
    "netmap/ui/pages/directory.py",
    "netmap/ui/profile.py",
    "netmap/directory.py",
    "netmap/tables.py",
]
TRANSLATED = ["el", "bg", "sr", "sr_Latn", "ro"]
SHORTEST = 12


def english_fragments() -> set[str]:
    """The words of each marked English message between its placeholders, where they are
    long enough to be English and nothing else."""
    keywords = {**DEFAULT_KEYWORDS, "N_": None, "lazy_gettext": None}
    fragments = set()
    for name in MARKED:
        for _line, message, _comments, _context in extract_from_file(
            "python", str(ROOT / name), keywords=keywords
        ):
            for form in message if isinstance(message, tuple) else (message,):
                for part in re.split(r"%\(\w+\)[sd]", form):
                    part = part.strip(" .,:;()“”…—*")
                    if len(part) >= SHORTEST:
                        fragments.add(part)
    return fragments


FRAGMENTS = english_fragments()


def _strings(value, found: list[str]) -> None:
    if isinstance(value, str):
        found.append(value)
    elif isinstance(value, dict):
        for item in value.values():
            _strings(item, found)
    elif isinstance(value, list):
        for item in value:
            _strings(item, found)


def page_strings(at) -> str:
    """Every string the page sent: texts, labels, help, placeholders, options, tabs and
    expanders, chart specs, and the tables' headers and cells (Markdown escapes out); of a
    drawing, its alternative text."""
    from google.protobuf.json_format import MessageToDict

    found: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        # the drawings (a profile's partners, an introduction path) are netmap.viz's, whose
        # tooltips are its own messages; their alt texts are these pages'
        if getattr(node, "type", None) == "iframe":
            found.append(getattr(proto, "alt", ""))
        elif proto is not None and hasattr(proto, "DESCRIPTOR"):
            _strings(MessageToDict(proto), found)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    for element in at.dataframe:
        frame = element.value
        found += [str(column) for column in frame.columns]
        found += [str(cell) for column in frame.columns for cell in frame[column]]
    return "\n".join(found).replace("\\", "")


def english_left(at) -> list[str]:
    shown = page_strings(at)
    return sorted(fragment for fragment in FRAGMENTS if fragment in shown)


@pytest.fixture
def on_demo(demo_store, monkeypatch):
    """The app on a private copy of the demo network, as its admin (who sees everything)."""
    monkeypatch.setenv("NETMAP_STORE", demo_store.url)
    monkeypatch.delenv("NETMAP_ROLE", raising=False)
    return demo_store


def directory_views(store) -> list:
    """The Directory: the whole list and a profile, a search by city and by initiative,
    a search that finds nothing, a link to an institution that is not there."""
    views = []
    at = page_test("directory").run()
    at.selectbox(key="directory-profile").set_value("bg-plovdiv-municipality").run()
    views.append(at)
    at = page_test("directory").run()
    at.text_input(key="directory-search").set_value("Пловдив").run()
    views.append(at)
    at = page_test("directory").run()
    at.text_input(key="directory-search").set_value("AMELIE").run()
    views.append(at)
    at = page_test("directory").run()
    at.text_input(key="directory-search").set_value("qqqzzzxx").run()
    views.append(at)
    at = page_test("directory")
    at.query_params["institution"] = "xx-nowhere"
    views.append(at.run())
    return views


def finder_views() -> list:
    """Find a contact: the empty request, candidates in a country, and in a city."""
    views = [page_test("finder").run()]
    at = page_test("finder").run()
    at.selectbox(key="finder-from").set_value("gr-thessaloniki-arsis").run()
    at.selectbox(key="finder-country").set_value("BG").run()
    views.append(at)
    at.selectbox(key="finder-city").set_value("Plovdiv").run()
    views.append(at)
    return views


def gaps_views() -> list:
    """Gaps and pathways: the whole network (every tab), one city, pathways and returns."""
    views = [page_test("gaps").run()]
    at = page_test("gaps").run()
    at.button_group(key="gaps-scope").set_value("A city").run()
    at.selectbox(key="gaps-city").set_value("RS:Niš").run()
    views.append(at)
    at = page_test("gaps").run()
    at.button_group(key="gaps-scope").set_value("A country").run()
    at.selectbox(key="gaps-country").set_value("GR").run()
    at.selectbox(key="gaps-pathway-from").set_value("gr-thessaloniki-arsis").run()
    at.checkbox(key="gaps-pathway-child").check().run()
    at.selectbox(key="gaps-return-from").set_value("GR").run()
    at.selectbox(key="gaps-return-to").set_value("BG").run()
    views.append(at)
    return views


PAGES = {"directory": directory_views, "finder": lambda store: finder_views(),
         "gaps": lambda store: gaps_views()}  # fmt: skip


@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_english_pages_show_the_english_texts_this_test_looks_for(page, on_demo):
    views = PAGES[page](on_demo)
    for at in views:
        assert_clean(at)
    shown = {fragment for at in views for fragment in english_left(at)}
    assert len(shown) >= 10, shown


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_no_english_text_is_left_on_a_translated_page(page, language, on_demo, monkeypatch):
    monkeypatch.setenv("NETMAP_LANG", language)
    for at in PAGES[page](on_demo):
        assert_clean(at)
        assert english_left(at) == []


def test_the_tables_dates_and_words_follow_the_language(on_demo, monkeypatch):
    monkeypatch.setenv("NETMAP_LANG", "bg")
    at = page_test("gaps").run()
    assert_clean(at)
    headers = {str(c) for element in at.dataframe for c in element.value.columns}
    assert {"Последна проверка", "Биха били откъснати"} <= headers
    monkeypatch.setenv("NETMAP_LANG", "el")
    at = page_test("directory").run()
    at.selectbox(key="directory-profile").set_value("bg-plovdiv-municipality").run()
    cells = {str(cell) for e in at.dataframe for c in e.value.columns for cell in e.value[c]}
    assert "21 Ιουν 2017" in cells  # an initiative's start, in Greek
    assert not [cell for cell in cells if re.search(r"\b(Jun|Nov|Dec) \d{4}", cell)]
