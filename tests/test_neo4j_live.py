"""The user's stories on a live Neo4j server: copying a network there and back, the
command line on a server (import, log, accounts, erasure, backup and restore), and two
editors at once.

Every test here needs ``NETMAP_TEST_NEO4J_URI`` (``tests/neo4j-server/start`` prints it);
the database it names is erased before and after each test.
"""

from __future__ import annotations

import json

import pytest
from conftest import require_neo4j
from typer.testing import CliRunner

from netmap.access import Role, User
from netmap.accounts import sign_in
from netmap.backup import backup, restore
from netmap.cli import app
from netmap.errors import Conflict, NotFound
from netmap.export import export_network
from netmap.model import RECORD_KINDS, RecordKind
from netmap.privacy import erase_person, person_export
from netmap.resources import data_file
from netmap.store import SQLiteStore
from netmap.store.base import ERASED
from netmap.store.neo4j import Neo4jStore
from netmap.sync import sync

pytestmark = pytest.mark.neo4j

runner = CliRunner()
ADMIN = User("admin", Role.ADMIN)
PERSON = "c-nshc-korac-mandic"
BOOKKEEPING = ("updated_at", "version")


def same_records(first, second) -> None:
    """Assert that two snapshots hold the same records, field for field."""
    for kind in RECORD_KINDS:
        columns = [c for c in first[kind].columns if c not in BOOKKEEPING]

        def rows(frame, columns=columns):
            return frame[columns].sort_values("id").reset_index(drop=True)

        assert rows(first[kind]).equals(rows(second[kind])), kind


@pytest.fixture
def laptop(tmp_path) -> SQLiteStore:
    return SQLiteStore(tmp_path / "laptop.db", actor="laptop-user")


# --- sync both ways ------------------------------------------------------------------------


def test_the_demo_is_copied_to_the_server_and_back_unchanged(demo_store, neo4j_empty_store, laptop):
    to_server = sync(demo_store, neo4j_empty_store)
    assert to_server["written"] is True
    assert neo4j_empty_store.counts() == demo_store.counts()
    same_records(demo_store.snapshot(), neo4j_empty_store.snapshot())

    back = sync(neo4j_empty_store, laptop)
    assert back["written"] is True
    assert laptop.counts() == demo_store.counts()
    same_records(demo_store.snapshot(), laptop.snapshot())


def test_copying_to_the_server_again_changes_nothing_and_an_edit_arrives_as_an_update(
    demo_store, neo4j_empty_store
):
    sync(demo_store, neo4j_empty_store)
    revision = neo4j_empty_store.revision()
    again = sync(demo_store, neo4j_empty_store)
    assert again["written"] is False
    assert neo4j_empty_store.revision() == revision

    arsis = demo_store.get(RecordKind.INSTITUTION, "gr-thessaloniki-arsis")
    demo_store.update(arsis.model_copy(update={"phone": "+30 2310 526150"}))
    result = sync(demo_store, neo4j_empty_store)
    assert {r["table"]: r["updated"] for r in result["plan"]}["institutions"] == 1
    stored = neo4j_empty_store.get(RecordKind.INSTITUTION, "gr-thessaloniki-arsis")
    assert stored.phone == "+30 2310 526150"
    assert stored.version == 2
    assert neo4j_empty_store.changes(record_id=arsis.id)[0].actor == "tester"


def test_netmap_sync_copies_a_file_to_the_server_and_the_server_to_a_file(
    demo_store, neo4j_empty_store, tmp_path
):
    server = require_neo4j()
    up = runner.invoke(app, ["sync", "--from", demo_store.url, "--to", server])
    assert up.exit_code == 0, up.output
    assert "counts verified" in up.stdout
    assert "netmap-" not in up.output  # the password in the URI is never shown
    copy = tmp_path / "copy.db"
    down = runner.invoke(app, ["sync", "--from", server, "--to", f"sqlite:///{copy}", "--json"])
    assert down.exit_code == 0, down.output
    report = json.loads(down.stdout)
    assert report["counts"]["institutions"] == demo_store.counts()[RecordKind.INSTITUTION]
    assert SQLiteStore(copy).counts() == demo_store.counts()


# --- the command line on a server --------------------------------------------------------


def test_init_demo_import_and_stats_on_the_server(neo4j_empty_store):
    server = require_neo4j()
    done = runner.invoke(app, ["--store", server, "init", "--demo"])
    assert done.exit_code == 0, done.output
    stats = runner.invoke(app, ["--store", server, "stats", "--json"])
    assert stats.exit_code == 0, stats.output
    assert json.loads(stats.stdout)["counts"]["institutions"] == 114
    again = runner.invoke(app, ["--store", server, "import", str(data_file("demo"))])
    assert again.exit_code == 0, again.output
    assert neo4j_empty_store.counts()[RecordKind.INSTITUTION] == 114


def test_an_import_with_a_mistake_writes_nothing_to_the_server(neo4j_demo_store, tmp_path):
    source = tmp_path / "bad"
    source.mkdir()
    (source / "institutions.csv").write_text(
        "id,name,sector,country\ngr-new,New NGO,civil_society,GR\ngr-bad,Bad,astrology,GR\n",
        encoding="utf-8",
    )
    counts, revision = neo4j_demo_store.counts(), neo4j_demo_store.revision()
    result = runner.invoke(app, ["--store", require_neo4j(), "import", str(source)])
    assert result.exit_code == 1
    assert "astrology" in result.stderr
    assert neo4j_demo_store.counts() == counts
    assert neo4j_demo_store.revision() == revision


def test_the_change_log_and_stale_contacts_on_the_server(neo4j_demo_store):
    server = require_neo4j()
    arsis = neo4j_demo_store.get(RecordKind.INSTITUTION, "gr-thessaloniki-arsis")
    neo4j_demo_store.update(arsis.model_copy(update={"notes": "street work"}))
    log = runner.invoke(app, ["--store", server, "log", "--record", arsis.id, "--json"])
    assert log.exit_code == 0, log.output
    entries = json.loads(log.stdout)
    assert [e["action"] for e in entries] == ["update", "create"]
    assert entries[0]["fields"]["notes"][1] == "street work"
    stale = runner.invoke(app, ["--store", server, "stale", "--months", "12", "--json"])
    assert stale.exit_code == 0, stale.output
    assert "c-plovdiv-valkov" in {r["id"] for r in json.loads(stale.stdout)["stale"]}


def test_accounts_are_added_listed_and_signed_in_with_on_the_server(neo4j_demo_store):
    server = require_neo4j()
    added = runner.invoke(
        app,
        ["--store", server, "users", "add", "eleni", "--role", "editor", "--password-stdin"],
        input="correct horse battery\n",
    )
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["--store", server, "users", "list", "--json"])
    assert json.loads(listed.stdout) == [
        {"name": "eleni", "role": "editor", "email": None, "password": True}
    ]
    assert sign_in(neo4j_demo_store, "eleni", "correct horse battery") == User("eleni", Role.EDITOR)
    assert sign_in(neo4j_demo_store, "eleni", "wrong") is None
    promoted = runner.invoke(app, ["--store", server, "users", "set-role", "eleni", "admin"])
    assert promoted.exit_code == 0, promoted.output
    removed = runner.invoke(app, ["--store", server, "users", "remove", "eleni"])
    assert removed.exit_code == 0, removed.output
    assert neo4j_demo_store.accounts() == []


def test_a_person_is_exported_and_erased_through_the_cli_on_the_server(neo4j_demo_store):
    server = require_neo4j()
    contact = neo4j_demo_store.get(RecordKind.CONTACT, PERSON)
    neo4j_demo_store.update(contact.model_copy(update={"phone": "+381 21 000 111"}))
    exported = runner.invoke(app, ["--store", server, "person", "export", PERSON])
    assert exported.exit_code == 0, exported.output
    assert json.loads(exported.stdout)["contact"]["phone"] == "+381 21 000 111"
    erased = runner.invoke(app, ["--store", server, "person", "erase", PERSON, "--yes"])
    assert erased.exit_code == 0, erased.output
    assert "erased-" in erased.stdout
    with pytest.raises(NotFound):
        neo4j_demo_store.get(RecordKind.CONTACT, PERSON)
    logged = json.dumps([c.fields for c in neo4j_demo_store.changes(limit=None)])
    for trace in ("danijela.nshc@gmail.com", "Korać", "000 111"):
        assert trace not in logged
    missing = runner.invoke(app, ["--store", server, "person", "export", PERSON])
    assert missing.exit_code == 1
    assert missing.stderr.startswith("error: there is no contact")


def test_after_erasure_the_servers_exports_and_log_hold_nothing_of_the_person(
    neo4j_demo_store, tmp_path
):
    alias = erase_person(neo4j_demo_store, ADMIN, PERSON)
    history = neo4j_demo_store.changes(record_id=alias, limit=None)
    assert [c.action for c in history] == ["erase", "create"]
    export_network(neo4j_demo_store.snapshot(), tmp_path / "all.json", "json")
    text = (tmp_path / "all.json").read_text("utf-8")
    assert "danijela.nshc@gmail.com" not in text and "Korać" not in text
    with pytest.raises(NotFound):
        person_export(neo4j_demo_store, ADMIN, PERSON)


def test_backup_wipe_restore_on_the_server_gives_the_same_export(neo4j_demo_store, tmp_path):
    def canonical(folder):
        export_network(neo4j_demo_store.snapshot(), folder, "csv")
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}

    before = canonical(tmp_path / "before")
    revision = neo4j_demo_store.revision()
    made = runner.invoke(app, ["--store", require_neo4j(), "backup", str(tmp_path / "b.json")])
    assert made.exit_code == 0, made.output
    neo4j_demo_store.erase_everything()
    assert neo4j_demo_store.counts()[RecordKind.INSTITUTION] == 0
    restored = runner.invoke(
        app, ["--store", require_neo4j(), "restore", str(tmp_path / "b.json"), "--yes"]
    )
    assert restored.exit_code == 0, restored.output
    assert "Restored 114 institutions" in restored.stdout
    assert canonical(tmp_path / "after") == before
    assert neo4j_demo_store.revision() > revision


def test_a_server_backup_restores_into_a_file_and_a_file_backup_into_the_server(
    neo4j_demo_store, demo_store, tmp_path
):
    backup(neo4j_demo_store, ADMIN, tmp_path / "server.json")
    fresh = SQLiteStore(tmp_path / "fresh.db")
    restore(fresh, ADMIN, tmp_path / "server.json")
    same_records(neo4j_demo_store.snapshot(), fresh.snapshot())
    backup(demo_store, ADMIN, tmp_path / "file.db")
    neo4j_demo_store.erase_everything()
    restore(neo4j_demo_store, ADMIN, tmp_path / "file.db")
    same_records(demo_store.snapshot(), neo4j_demo_store.snapshot())


# --- two editors ---------------------------------------------------------------------------


def test_the_second_of_two_editors_on_the_server_is_refused_and_both_are_logged(
    neo4j_demo_store,
):
    other = Neo4jStore.from_url(require_neo4j(), actor="second editor")
    try:
        first = neo4j_demo_store.get(RecordKind.INSTITUTION, "gr-athens-ekka")
        second = other.get(RecordKind.INSTITUTION, "gr-athens-ekka")
        neo4j_demo_store.update(first.model_copy(update={"phone": "+30 210 111 1111"}))
        with pytest.raises(Conflict):
            other.update(second.model_copy(update={"phone": "+30 210 222 2222"}))
    finally:
        other.close()
    log = neo4j_demo_store.changes(record_id="gr-athens-ekka")
    assert (log[0].action, log[0].actor) == ("conflict", "second editor")
    assert log[0].fields["phone"] == ["+30 210 111 1111", "+30 210 222 2222"]
    assert log[1].fields["phone"][1] == "+30 210 111 1111"


def test_deleting_an_institution_on_the_server_takes_its_dependents_with_it(neo4j_demo_store):
    institution = "rs-novi-sad-nshc"
    before = neo4j_demo_store.snapshot()
    ties = before.ties[
        (before.ties["source_id"] == institution) | (before.ties["target_id"] == institution)
    ]
    contacts = before.contacts[before.contacts["institution_id"] == institution]
    assert len(ties) and len(contacts)
    neo4j_demo_store.delete(RecordKind.INSTITUTION, institution)
    after = neo4j_demo_store.counts()
    assert after[RecordKind.TIE] == len(before.ties) - len(ties)
    assert after[RecordKind.CONTACT] == len(before.contacts) - len(contacts)
    erased_phone = {c.record_id for c in neo4j_demo_store.changes(limit=None)}
    assert set(contacts["id"]) <= erased_phone
    assert ERASED not in json.dumps([c.fields for c in neo4j_demo_store.changes(limit=5)])


def test_erasing_a_person_scrubs_the_log_the_same_way_on_every_store(any_demo_store):
    contact = any_demo_store.get(RecordKind.CONTACT, PERSON)
    any_demo_store.update(contact.model_copy(update={"phone": "+381 21 000 111"}))
    alias = erase_person(any_demo_store, ADMIN, PERSON)
    history = any_demo_store.changes(record_id=alias, limit=None)
    assert [c.action for c in history] == ["erase", "update", "create"]
    assert history[1].fields == {"phone": [ERASED, ERASED]}
