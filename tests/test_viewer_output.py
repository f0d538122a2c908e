"""Below member, every output is redacted: written as the attack, a viewer running every
command and opening every page, looking for the person behind a contact id made from
their name (``…-drazhomira-vexlerova``)."""

from __future__ import annotations

import json

import pytest
from app_fixtures import PAGES, frames, graph_data, page_test, texts
from typer.testing import CliRunner

from netmap.access import GuardedStore, Role, User
from netmap.accounts import add_account
from netmap.cli import app
from netmap.errors import AccessDenied
from netmap.model import Contact, RecordKind
from netmap.ui import access

ADMIN = User("setup", Role.ADMIN)
PASSWORD = "correct horse battery"
PERSON = Contact(
    id="bg-plovdiv-municipality-drazhomira-vexlerova",
    institution_id="bg-plovdiv-municipality",
    name="Drazhomira Vexlerova",
    role="Social worker",
    email="d.vexlerova@plovdiv.example",
    phone="+359 32 656 999",
    quote="Ms Vexlerova coordinates the municipality's referrals",
    evidence="reported",
    reported_by="Drazhomira's colleague",
    languages=["bg"],
)
TRACES = ("drazhomira", "vexlerova", "korac", "valkov")  # names in the contacts' ids
COMMANDS = [
    ["search", "Plovdiv", "--json"],
    ["search", "Social worker"],
    ["search", "Vexlerova", "--json"],
    ["find-contact", "--from", "gr-thessaloniki-arsis", "--country", "BG", "--json"],
    ["find-contact", "--from", "gr-thessaloniki-arsis", "--country", "BG"],
    ["stale", "--json"],
    ["stale"],
    ["gaps", "--json"],
    ["gaps", "--city", "Plovdiv"],
    ["stats", "--json"],
]
runner = CliRunner()


@pytest.fixture
def listed(demo_store):
    demo_store.add(PERSON)
    add_account(demo_store, ADMIN, "vera", "viewer", PASSWORD)
    add_account(demo_store, ADMIN, "mila", "member", PASSWORD)
    return demo_store


def leaks(text: str) -> list[str]:
    return [trace for trace in TRACES if trace in text.casefold()]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_viewers_command_output_holds_no_id_made_from_a_name(listed, command):
    url = f"sqlite:///{listed.path}"
    result = runner.invoke(app, ["--store", url, "--user", "vera", *command])
    assert result.exit_code == 0, result.output
    assert leaks(result.output) == []


def test_the_same_commands_do_show_a_member_the_contacts(listed):
    url = f"sqlite:///{listed.path}"
    result = runner.invoke(app, ["--store", url, "--user", "mila", "search", "Vexlerova", "--json"])
    assert {hit["id"] for hit in json.loads(result.output)} >= {PERSON.id}


@pytest.mark.parametrize("form", ["json", "csv", "xlsx", "graphml"])
def test_a_viewers_export_holds_no_contacts_table_even_without_redact(listed, tmp_path, form):
    url = f"sqlite:///{listed.path}"
    out = tmp_path / ("csv" if form == "csv" else f"network.{form}")
    result = runner.invoke(app, ["--store", url, "--user", "vera", "export", str(out)])
    assert result.exit_code == 0, result.output
    assert "contacts are left out" in result.stderr
    files = sorted(out.iterdir()) if out.is_dir() else [out]
    everything = b"".join(path.read_bytes() for path in files).decode("utf-8", "replace")
    assert leaks(everything) == []
    if form == "csv":
        assert "contacts.csv" not in {path.name for path in files}
    if form == "json":
        assert "contacts" not in json.loads(out.read_text(encoding="utf-8"))["tables"]


def test_a_viewer_cannot_look_a_guessed_contact_id_up(listed):
    viewer = GuardedStore(listed, User("vera", Role.VIEWER))
    for look_up in (
        lambda: viewer.get(RecordKind.CONTACT, PERSON.id),
        lambda: viewer.existing_ids(RecordKind.CONTACT, {PERSON.id}),
    ):
        with pytest.raises(AccessDenied):
            look_up()
    ids = set(viewer.snapshot().contacts["id"]) | {c.id for c in viewer.list(RecordKind.CONTACT)}
    assert ids and all(i.startswith("contact-") for i in ids)
    assert leaks(json.dumps([c.model_dump() for c in viewer.list(RecordKind.CONTACT)])) == []


@pytest.fixture
def viewer_app(listed, monkeypatch):
    monkeypatch.setenv("NETMAP_STORE", listed.url)
    for name in ("NETMAP_ROLE", "NETMAP_MODE"):
        monkeypatch.delenv(name, raising=False)
    access.forget_accounts()
    yield _signed
    access.forget_accounts()


def _signed(page: str):
    at = page_test(page)
    at.session_state[access.SIGNED_IN] = "vera"
    return at.run()


def readable(at) -> str:
    shown = [texts(at), *(frame.to_csv() for frame in frames(at))]
    shown += [element.proto.srcdoc for element in at.get("iframe")]
    # The live graph's data, its non-ASCII letters as such (the JSON sent escapes them).
    shown += [json.dumps(data, ensure_ascii=False) for data in graph_data(at)]
    for kind in ("selectbox", "multiselect"):
        for widget in at.get(kind):
            shown += [str(option) for option in widget.options]
    return "\n".join(shown)


def test_a_viewer_reads_no_id_made_from_a_name_on_any_page(viewer_app):
    shown = [readable(viewer_app(page)) for page in PAGES]
    at = viewer_app("directory")
    at.selectbox(key="directory-profile").set_value("bg-plovdiv-municipality").run()
    shown.append(readable(at))
    at.text_input(key="directory-search").set_value("Social worker").run()
    shown.append(readable(at))
    at = viewer_app("finder")
    at.selectbox(key="finder-from").set_value("gr-thessaloniki-arsis").run()
    at.selectbox(key="finder-country").set_value("BG").run()
    shown.append(readable(at))
    everything = "\n".join(shown)
    assert "Plovdiv Municipality" in everything  # the pages did show the network
    assert leaks(everything) == []
