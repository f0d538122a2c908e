"""The app in its users' languages: every page, in every language, without English.

Two checks on each page, each run through the whole app (``app.py``) as a browser's
session would:

- no English message the code marks for translation is on a page in another language
  (the messages of the template, cut at their placeholders);
- no text is the same as on the English page unless it is the data's (names, places,
  quotes: stored values are never translated), which finds the words nobody marked.
"""

from __future__ import annotations

import re

import pytest
from app_fixtures import APP, app_test, assert_clean, chart_texts, texts
from babel.messages.pofile import read_po

from netmap.i18n import LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE, catalog_path, language
from netmap.store.base import Network
from netmap.ui.language import LANGUAGE_KEY
from netmap.ui.navigation import PAGES

TRANSLATED = [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE]
#: A fragment of a message shorter than this may be a word the data shares ("Police").
SHORTEST_FRAGMENT = 14
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")
_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture
def on_demo(demo_store, monkeypatch):
    monkeypatch.setenv("NETMAP_STORE", demo_store.url)
    monkeypatch.delenv("NETMAP_ROLE", raising=False)
    return demo_store


def english_fragments(lang: str) -> set[str]:
    """The English texts of the messages ``lang``'s catalog translates differently, cut
    at their placeholders, that are long enough to be the interface's, not the data's."""
    with (LOCALE_DIR / "netmap.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    with catalog_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    fragments = set()
    for message in catalog:
        if message.id not in template:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if set(ids) & set(strings):  # the same in both languages (a name, a unit)
            continue
        for text in ids:
            fragments |= {
                part.strip()
                for part in _PLACEHOLDER.split(text.replace("**", "").replace("*", ""))
                # a phrase, not one word: table and sheet names stay as they are
                if len(part.strip()) >= SHORTEST_FRAGMENT and " " in part.strip()
            }
    return fragments


def data_words(network: Network) -> set[str]:
    """Every word any stored text holds: names, places, quotes, notes."""
    words: set[str] = set()
    for kind in network.counts():
        for value in network[kind].to_numpy().ravel():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str):
                    words |= {w.lower() for w in _WORD.findall(item)}
    return words


def page_texts(lang: str, page: str) -> tuple[str, object]:
    """Everything readable on ``page`` of the whole app in ``lang``, with its test."""
    at = app_test()
    at.session_state[LANGUAGE_KEY] = lang
    at.switch_page(str(next(p for p in PAGES if p.name == page).path.relative_to(APP.parent)))
    at.run()
    assert_clean(at)
    readable = [texts(at), chart_texts(at)]
    for kind in ("selectbox", "multiselect", "checkbox", "toggle", "radio", "text_input",
                 "button", "slider", "segmented_control", "number_input", "text_area"):  # fmt: skip
        for widget in at.get(kind):
            readable += [str(getattr(widget, "label", "")), str(getattr(widget, "help", "") or "")]
    for frame in at.dataframe:
        readable += [str(column) for column in frame.value.columns]
    return "\n".join(readable), at


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("page", [p.name for p in PAGES])
def test_no_english_message_is_left_on_a_page(on_demo, page, lang):
    shown, _at = page_texts(lang, page)
    left = sorted(f for f in english_fragments(lang) if f in shown)
    assert left == [], f"{page} in {lang} still says in English: {left}"


@pytest.mark.parametrize("lang", ["bg", "el"])
@pytest.mark.parametrize("page", [p.name for p in PAGES])
def test_nothing_but_the_data_reads_as_on_the_english_page(on_demo, page, lang):
    english, _ = page_texts(SOURCE_LANGUAGE, page)
    translated, _ = page_texts(lang, page)
    vocabulary = data_words(on_demo.snapshot())
    same = {line.strip() for line in english.splitlines()} & {
        line.strip() for line in translated.splitlines()
    }
    untranslated = sorted(
        line for line in same if len({w.lower() for w in _WORD.findall(line)} - vocabulary) >= 2
    )
    assert untranslated == [], f"{page} in {lang} reads as in English: {untranslated}"


def test_the_sidebar_picker_changes_the_language_for_the_session(on_demo):
    at = app_test().run()
    assert_clean(at)
    picker = at.selectbox(key=LANGUAGE_KEY)
    assert picker.value == SOURCE_LANGUAGE
    assert "Network" in [t.value for t in at.title]
    picker.set_value("bg").run()
    assert_clean(at)
    assert at.title[0].value == "Мрежа"
    # A later run of the same session keeps the choice. (AppTest formats the widgets'
    # values for the next run in this thread: it must speak the page's language too.)
    with language("bg"):
        at.run()
    assert at.title[0].value == "Мрежа"


def test_a_shared_server_speaks_its_default_language(on_demo, monkeypatch):
    monkeypatch.setenv("NETMAP_LANG", "el")
    at = app_test().run()
    assert_clean(at)
    assert at.selectbox(key=LANGUAGE_KEY).value == "el"
    assert at.title[0].value == "Δίκτυο"
