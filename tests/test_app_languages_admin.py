"""The Data, Edit and Admin pages, the sign-in screen, the empty store's offer and the
sidebar in every interface language: none of the English texts that their files mark for
translation is left on a page shown in Greek, Bulgarian, Serbian (both scripts) or
Romanian (issue 18).

A page is read whole: every string of every element (titles, markdown, captions, alerts,
labels, help texts, placeholders, options, tab and expander labels, buttons) and every
header and text cell of its tables. What must not be there is each English phrase of the
messages of those files that its translation does not contain itself (a file name, a
command line, ``JSON (.json)`` stay as they are), twelve characters or longer.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from app_fixtures import app_test, assert_clean, page_test
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from netmap.access import Role, User
from netmap.accounts import add_account
from netmap.i18n import catalog_path
from netmap.model import RecordKind
from netmap.store import SQLiteStore

ROOT = Path(__file__).resolve().parent.parent
#: The files whose messages this test looks for.
FILES = (
    "netmap/ui/pages/data.py",
    "netmap/ui/pages/edit.py",
    "netmap/ui/pages/admin.py",
    "netmap/ui/access.py",
    "netmap/ui/stores.py",
    "netmap/ui/demo.py",
    "netmap/ui/widgets.py",
    "netmap/ui/text.py",
    "netmap/io/plan.py",
    "netmap/io/forms.py",
    "netmap/export.py",
)
LANGUAGES = ("bg", "el", "sr", "sr_Latn", "ro")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
#: What splits a message into the phrases looked for: placeholders and Markdown marks.
_SPLIT = re.compile(r"%\(\w+\)[sdr]|\*\*|[*`“”]")
SHORTEST = 12
#: The fields of an element that are never shown: widget and form ids (made of keys).
_NOT_SHOWN = {"id", "form_id", "element_id", "key"}


SHEET = (
    "id,name,sector,country,city,phone,email,last_verified\n"
    "gr-arsis,ARSIS,civil_society,GR,Thessaloniki,,,\n"
    "bg-plovdiv-police,Regional Police Plovdiv,police,BG,Plovdiv,+359 32 123456,,\n"
)
PASSWORD = "correct horse battery"


@functools.cache
def english_messages() -> tuple[tuple[str, ...], ...]:
    """Every message the files mark: its English forms (one, or singular and plural)."""
    found = []
    for name in FILES:
        for _line, message, _comments, _context in extract_from_file(
            "python", str(ROOT / name), keywords=KEYWORDS
        ):
            forms = message if isinstance(message, tuple) else (message,)
            found.append(tuple(form for form in forms if form))
    return tuple(found)


@functools.cache
def english_left(language: str) -> frozenset[str]:
    """The English phrases that must not be on a page shown in ``language``."""
    with catalog_path(language).open("rb") as handle:
        catalog = read_po(handle, locale=language)
    phrases = set()
    for forms in english_messages():
        key = forms if len(forms) > 1 else forms[0]
        entry = catalog.get(key)
        strings = entry.string if entry is not None else ""
        translated = " ".join(strings) if isinstance(strings, tuple) else strings
        for form in forms:
            parts = _SPLIT.split(form)
            for phrase in parts:
                phrase = phrase.strip(" .,;:()—–")
                english = len(phrase) >= SHORTEST and re.search(r"[A-Za-z]{3}", phrase)
                # One word is looked for only as a whole message ("Participations"), not
                # as a piece of one ("%(count)s participations": a sheet's name too).
                whole = " " in phrase or len(parts) == 1
                if english and whole and phrase not in translated:
                    phrases.add(phrase)
    return frozenset(phrases)


def _strings(message, into: list[str]) -> None:
    """Every string of a protobuf message, nested ones included, but the ids of widgets
    and forms (made of keys, not shown)."""
    for field, value in message.ListFields():
        if field.name in _NOT_SHOWN:
            continue
        repeated = not isinstance(value, str | bytes) and not hasattr(value, "ListFields")
        values = list(value) if repeated and hasattr(value, "__iter__") else [value]
        for item in values:
            if isinstance(item, str):
                into.append(item)
            elif hasattr(item, "ListFields"):
                _strings(item, into)


def page_strings(at, sidebar_only: bool = False) -> list[str]:
    """Everything a person can read on the page: each element's strings, and the headers
    and text cells of its tables."""
    found: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ListFields"):
            _strings(proto, found)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.sidebar if sidebar_only else at._tree)
    if not sidebar_only:
        for table in at.dataframe:
            frame = table.value
            found += [str(column) for column in frame.columns]
            for column in frame.columns:
                found += [cell for cell in frame[column].tolist() if isinstance(cell, str)]
    return found


def english_on(at, language: str, sidebar_only: bool = False) -> list[str]:
    """The English phrases of the files found on the page."""
    shown = "\n".join(page_strings(at, sidebar_only))
    return sorted(phrase for phrase in english_left(language) if phrase in shown)


def assert_in_language(at, language: str) -> None:
    assert_clean(at)
    assert not english_on(at, language), english_on(at, language)


@pytest.fixture
def store(tmp_path, monkeypatch) -> SQLiteStore:
    """A new store the app is pointed at, as its admin (local mode)."""
    store = SQLiteStore(tmp_path / "app.db", actor="eleni")
    monkeypatch.setenv("NETMAP_STORE", store.url)
    for name in ("NETMAP_ROLE", "NETMAP_MODE"):
        monkeypatch.delenv(name, raising=False)
    return store


@pytest.fixture
def on_demo(demo_store, monkeypatch) -> SQLiteStore:
    monkeypatch.setenv("NETMAP_STORE", demo_store.url)
    for name in ("NETMAP_ROLE", "NETMAP_MODE"):
        monkeypatch.delenv(name, raising=False)
    return demo_store


@pytest.fixture(params=LANGUAGES)
def language(request, monkeypatch) -> str:
    """Each interface language but English, as a shared server's default."""
    monkeypatch.setenv("NETMAP_LANG", request.param)
    return request.param


def upload(at, text: str, name: str = "institutions.csv"):
    at.file_uploader(key="data-upload").set_value((name, text.encode(), "text/csv"))
    return at.run()


# --- the phrases looked for -----------------------------------------------------------------


def test_the_phrases_looked_for_are_the_files_english_ones():
    # Without translations every phrase is looked for; with them, only English ones.
    phrases = english_left("bg")
    assert "Empty cells empty the stored values" in phrases
    assert "Include modelled records" in phrases
    assert not any(phrase in ("JSON (.json)",) for phrase in phrases)


def test_the_check_finds_english_on_an_english_page(store, monkeypatch):
    # A test that cannot fail is no test: the same page in English is full of them.
    monkeypatch.setenv("NETMAP_LANG", "en")
    at = page_test("data").run()
    found = english_on(at, "bg")
    assert "Spreadsheet to import" in found and "Leave out contacts" in found


# --- the Data page ----------------------------------------------------------------------------


def test_the_data_page_and_its_dry_run_in_each_language(store, language):
    at = page_test("data").run()
    assert_in_language(at, language)
    at = upload(at, SHEET)
    assert_in_language(at, language)
    at.button(key="data-confirm").click()
    at.run()
    assert_in_language(at, language)
    assert at.success, "the import's message is missing"
    # A conflict with an edit made since, and empty cells that keep stored values.
    arsis = store.get(RecordKind.INSTITUTION, "gr-arsis")
    store.update(arsis.model_copy(update={"phone": "+30 2310 526150", "last_verified": "2026-03"}))
    police = store.get(RecordKind.INSTITUTION, "bg-plovdiv-police")
    store.update(police.model_copy(update={"phone": "+359 32 999999"}))
    at = upload(page_test("data").run(), SHEET.replace("ARSIS", "Arsis"))
    assert at.warning and at.dataframe
    assert_in_language(at, language)
    # A file with problems.
    at = upload(page_test("data").run(), "id,name,sector\nx,,nowhere\n")
    assert at.error and not at.exception
    assert not english_on(at, language), english_on(at, language)


# --- the Edit page ----------------------------------------------------------------------------


def test_the_edit_page_in_each_language(on_demo, language):
    at = page_test("edit").run()
    assert_in_language(at, language)
    at.selectbox(key="edit-record-institutions").set_value("bg-plovdiv-municipality").run()
    assert_in_language(at, language)
    form = next(box.key for box in at.text_input if box.key.endswith("-email"))
    at.text_input(key=form).set_value("not an address")
    at.button(key=form.removesuffix("-email") + "-save").click().run()
    assert at.error
    assert not english_on(at, language), english_on(at, language)
    at.button_group(key="edit-kind").set_value(RecordKind.CONTACT).run()
    contact = on_demo.list(RecordKind.CONTACT)[0].id
    at.selectbox(key="edit-record-contacts").set_value(contact).run()
    assert_in_language(at, language)
    at.button_group(key="edit-action").set_value("Add a new one").run()
    assert_in_language(at, language)
    at.button_group(key="edit-kind").set_value(RecordKind.TIE).run()
    assert_in_language(at, language)
    at.button_group(key="edit-action").set_value("Delete one").run()
    at.selectbox(key="edit-record-ties").set_value(on_demo.list(RecordKind.TIE)[0].id).run()
    assert at.warning
    assert_in_language(at, language)


# --- the Admin page ---------------------------------------------------------------------------


def test_the_admin_page_in_each_language(on_demo, language):
    at = page_test("admin").run()
    assert_in_language(at, language)
    at.text_input(key="admin-log-record").set_value("bg-plovdiv-municipality").run()
    assert_in_language(at, language)
    contact = on_demo.list(RecordKind.CONTACT)[0].id
    at.selectbox(key="admin-person").set_value(contact).run()
    assert_in_language(at, language)
    at.button(key="admin-backup-make").click().run()
    assert at.success
    assert_in_language(at, language)


def test_the_admin_page_with_accounts_in_each_language(on_demo, language):
    admin = User("admin", Role.ADMIN)
    add_account(on_demo, admin, "admin", "admin", PASSWORD)
    add_account(on_demo, admin, "nikos", "editor", PASSWORD)
    at = page_test("admin")
    at.session_state["netmap-signed-in"] = "admin"
    at.run()
    assert_in_language(at, language)
    at.selectbox(key="admin-account").set_value("admin").run()
    at.selectbox(key="admin-role").set_value("viewer").run()
    at.button(key="admin-set-role").click().run()
    assert [e.value for e in at.error]
    assert not english_on(at, language), english_on(at, language)


# --- signing in, refusals, the empty store, the sidebar -----------------------------------------


def test_the_sign_in_screen_and_a_refusal_in_each_language(on_demo, language):
    add_account(on_demo, User("admin", Role.ADMIN), "viewer", "viewer", PASSWORD)
    at = page_test("data").run()
    assert at.text_input(key="sign-in-name")
    assert_in_language(at, language)
    at.text_input(key="sign-in-name").set_value("viewer")
    at.text_input(key="sign-in-password").set_value("not the password")
    at.button(key="sign-in-submit").click().run()
    assert at.error
    assert not english_on(at, language), english_on(at, language)
    at = page_test("edit")
    at.session_state["netmap-signed-in"] = "viewer"
    at.run()
    assert at.error  # an editor's page, refused to a viewer
    assert not english_on(at, language), english_on(at, language)


def test_the_empty_store_and_the_sidebar_in_each_language(store, language):
    at = page_test("directory").run()
    assert at.button(key="load-demo")
    assert not english_on(at, language), english_on(at, language)
    at = app_test().run()
    assert not english_on(at, language, sidebar_only=True), english_on(
        at, language, sidebar_only=True
    )
