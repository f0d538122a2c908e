"""A restore brings back records, never files: crafted backups, written as the attacks.

Each backup here is made by netmap and then tampered with through plain ``sqlite3``, as
someone who hands over a file would. The restore runs through the store protocol, so the
store-level tests take ``empty_store`` (SQLite always, Neo4j when a server is named).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from builders import institution, tie
from typer.testing import CliRunner

from netmap.access import Role, User
from netmap.accounts import add_account, sign_in
from netmap.backup import AccountsChange, backup, read_backup, restore
from netmap.cli import app
from netmap.errors import NetmapError, ValidationFailed
from netmap.model import Contact, RecordKind
from netmap.store import SQLiteStore
from netmap.store.base import RecordSet

ADMIN = User("admin", Role.ADMIN)
PASSWORD = "correct horse battery"
runner = CliRunner()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def schema(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as connection:
        return sorted(connection.execute("SELECT type, name FROM sqlite_master"))


@pytest.fixture
def source(tmp_path) -> SQLiteStore:
    """A small network with a contact, an edit in its log and an admin account."""
    store = SQLiteStore(tmp_path / "source.db", actor="eleni")
    batch = RecordSet()
    for record in [
        institution("rs-nis-police", name="Police Niš"),
        institution("rs-nis-csw", name="Centre for Social Work Niš", sector="social_services"),
        tie("rs-nis-police", "rs-nis-csw", kind="referral", id="t-1"),
        Contact(
            id="c-nis-jovanovic",
            institution_id="rs-nis-csw",
            name="Ana Jovanović",
            email="ana.jovanovic@csr-nis.example",
            languages=["sr", "en"],
        ),
    ]:
        batch.add(record)
    store.write(batch)
    police = store.get(RecordKind.INSTITUTION, "rs-nis-police")
    store.update(police.model_copy(update={"phone": "+381 18 000 000"}))
    add_account(store, ADMIN, "eleni", "admin", PASSWORD)
    add_account(store, ADMIN, "nikos", "viewer", PASSWORD)
    return store


@pytest.fixture
def made(source, tmp_path) -> Path:
    """A genuine backup of ``source``, ready to be tampered with."""
    return backup(source, ADMIN, tmp_path / "backup.db")


def tamper(path: Path, *statements: str) -> None:
    with sqlite3.connect(path) as connection:
        for statement in statements:
            connection.execute(statement)


MALLORY = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$" + "A" * 43
TRAPS = (
    "CREATE TABLE loot (name TEXT, email TEXT)",
    # Re-plants an admin on the next write, and copies contacts before they are deleted.
    (
        "CREATE TRIGGER replant AFTER INSERT ON institutions BEGIN "
        f"INSERT OR IGNORE INTO accounts(name, role, password_hash) VALUES ('mallory', 'admin', "
        f"'{MALLORY}'); END"
    ),
    (
        "CREATE TRIGGER stash BEFORE DELETE ON contacts BEGIN "
        "INSERT INTO loot VALUES (old.name, old.email); END"
    ),
    # Fires if anything ever writes to the backup while reading it.
    "CREATE TRIGGER on_read AFTER UPDATE ON meta BEGIN INSERT INTO loot VALUES ('read', ''); END",
    "CREATE VIEW everyone AS SELECT name, email FROM contacts",
    "INSERT INTO loot VALUES ('planted', 'planted@evil.example')",
)


def test_a_backup_with_triggers_a_view_and_an_extra_table_restores_none_of_them(
    empty_store, made, tmp_path
):
    tamper(made, *TRAPS)
    before = digest(made)
    contents = read_backup(made)
    assert {w.message.split("'")[1] for w in contents.warnings} == {
        "loot",
        "replant",
        "stash",
        "on_read",
        "everyone",
    }
    restore(empty_store, ADMIN, made)
    assert digest(made) == before  # nothing ran in the backup, nothing was written to it
    # The store works on, and nothing planted wakes up.
    empty_store.add(institution("rs-nis-court", name="Court Niš", sector="judiciary"))
    empty_store.delete(RecordKind.CONTACT, "c-nis-jovanovic")
    assert sorted(a.name for a in empty_store.accounts()) == ["eleni", "nikos"]
    assert sign_in(empty_store, "eleni", PASSWORD) is not None
    if isinstance(empty_store, SQLiteStore):
        assert schema(empty_store.path) == schema(SQLiteStore(tmp_path / "fresh.db").path)
        assert b"planted@evil.example" not in empty_store.path.read_bytes()


def test_a_restore_drops_what_an_earlier_page_copying_restore_planted(source, tmp_path):
    target = SQLiteStore(tmp_path / "target.db")
    tamper(target.path, *TRAPS[:3])
    restore(target, ADMIN, backup(source, ADMIN, tmp_path / "b.db"))
    assert schema(target.path) == schema(SQLiteStore(tmp_path / "fresh.db").path)


def test_the_records_accounts_and_change_log_come_back(empty_store, source, made):
    restore(empty_store, ADMIN, made)
    assert empty_store.get(RecordKind.CONTACT, "c-nis-jovanovic").languages == ["sr", "en"]
    assert empty_store.get(RecordKind.INSTITUTION, "rs-nis-police").phone == "+381 18 000 000"
    logged = empty_store.changes(record_id="rs-nis-police", limit=None)
    assert [(c.action, c.actor) for c in logged] == [("update", "eleni"), ("create", "eleni")]
    assert logged[0].fields["phone"] == [None, "+381 18 000 000"]
    assert empty_store.changes(limit=1)[0].action == "restore"


def store_state(store) -> tuple:
    if isinstance(store, SQLiteStore):
        return (digest(store.path),)
    return (store.counts(), store.accounts(), store.revision())


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        (
            "UPDATE ties SET strength = 'strong!!'",
            "backup.db[ties]:1: strength: 'strong!!' is not a number",
        ),
        (
            "UPDATE contacts SET languages = '[\"sr\",'",
            "backup.db[contacts]:1: languages: not a list",
        ),
        (
            "UPDATE contacts SET languages = '\"sr\"'",
            "backup.db[contacts]:1: languages: not a list",
        ),
        ("UPDATE accounts SET role = 'superuser' WHERE name = 'nikos'", "role: unknown role"),
        (
            "UPDATE accounts SET password_hash = 'plaintext' WHERE name = 'nikos'",
            "password_hash: not an Argon2 password hash",
        ),
        (
            (
                "UPDATE accounts SET password_hash = "
                "'$argon2id$v=19$m=4194304,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$' || "
                "'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' WHERE name = 'nikos'"
            ),
            "password_hash: an Argon2 hash with costs so high",
        ),
        ("UPDATE accounts SET email = 'not an address' WHERE name = 'nikos'", "email:"),
        ("UPDATE changes SET fields = '{oops' WHERE seq = 1", "backup.db[changes]:1: fields"),
        ("ALTER TABLE institutions ADD COLUMN smuggled TEXT", "institutions]: smuggled: not a"),
        ("UPDATE ties SET target_id = 'nowhere'", "ties]:1: target_id: no institution with id"),
    ],
)
def test_a_tampered_backup_is_refused_naming_table_row_and_field_and_nothing_changes(
    empty_store, made, statement, expected
):
    tamper(made, statement)
    empty_store.add(institution("gr-athens-ekka", name="EKKA", country="GR", city="Athens"))
    before = store_state(empty_store)
    with pytest.raises(ValidationFailed) as refused:
        restore(empty_store, ADMIN, made)
    assert any(expected in str(problem) for problem in refused.value.problems), [
        str(p) for p in refused.value.problems
    ]
    assert store_state(empty_store) == before


def test_the_cli_lists_each_problem_in_one_line_without_a_traceback(demo_store, made):
    tamper(made, "UPDATE ties SET strength = 'strong!!'", "UPDATE contacts SET languages = '['")
    before = digest(demo_store.path)
    result = runner.invoke(
        app, ["--store", f"sqlite:///{demo_store.path}", "restore", str(made), "--yes"]
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "backup.db[contacts]:1: languages: not a list (Expecting value at character 1)",
        "backup.db[ties]:1: strength: 'strong!!' is not a number",
        "2 errors: nothing was written.",
    ]
    assert "Traceback" not in result.output
    assert digest(demo_store.path) == before


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("PRAGMA user_version = 99", r"made by a newer netmap \(schema 99\)"),
        ("PRAGMA user_version = 0", "not a netmap backup"),
    ],
)
def test_a_backup_of_another_schema_is_refused(empty_store, made, statement, message):
    tamper(made, statement)
    with pytest.raises(NetmapError, match=message):
        restore(empty_store, ADMIN, made)


def test_a_damaged_backup_is_refused(demo_store, made):
    data = bytearray(made.read_bytes())
    data[5000:9000] = b"\xff" * 4000
    made.write_bytes(bytes(data))
    before = digest(demo_store.path)
    with pytest.raises(NetmapError):
        restore(demo_store, ADMIN, made)
    assert digest(demo_store.path) == before


def test_a_backup_that_leaves_no_admin_needs_confirming_and_names_its_accounts(empty_store, made):
    tamper(made, "UPDATE accounts SET role = 'member' WHERE name = 'eleni'")
    add_account(empty_store, ADMIN, "owner", "admin", PASSWORD)
    with pytest.raises(AccountsChange, match=r"no admin account \(only eleni \(member\), nikos"):
        restore(empty_store, ADMIN, made)
    assert [a.name for a in empty_store.accounts()] == ["owner"]
    restore(empty_store, ADMIN, made, accept_accounts=True)
    assert sorted(a.name for a in empty_store.accounts()) == ["eleni", "nikos"]


def test_a_backup_without_accounts_does_not_silently_end_team_mode(empty_store, made):
    tamper(made, "DELETE FROM accounts")
    add_account(empty_store, ADMIN, "owner", "admin", PASSWORD)
    with pytest.raises(AccountsChange, match="local mode"):
        restore(empty_store, ADMIN, made)
    assert [a.name for a in empty_store.accounts()] == ["owner"]


def test_the_cli_asks_before_ending_team_mode_and_names_what_the_backup_brings(demo_store, made):
    tamper(made, "DELETE FROM accounts")
    add_account(demo_store, ADMIN, "owner", "admin", PASSWORD)
    url = f"sqlite:///{demo_store.path}"
    refused = runner.invoke(app, ["--store", url, "restore", str(made), "--yes"])
    assert refused.exit_code == 1
    assert "add --accept-accounts" in refused.stderr and "owner (admin)" in refused.stderr
    asked = runner.invoke(app, ["--store", url, "restore", str(made)], input="n\n")
    assert "no account" in asked.output and asked.exit_code == 1
    done = runner.invoke(app, ["--store", url, "restore", str(made), "--yes", "--accept-accounts"])
    assert done.exit_code == 0, done.output
    assert demo_store.accounts() == []


def test_a_json_backup_is_read_the_same_way(empty_store, made, tmp_path):
    """The format a Neo4j store writes, tampered with: checked as an import is."""
    contents = read_backup(made)
    document = {
        "format": "netmap",
        "tables": {kind.value: contents.network()[kind].to_dict("records") for kind in RecordKind},
        "accounts": [{"name": "root", "role": "superuser", "password_hash": MALLORY}],
    }
    document["tables"]["ties"][0]["strength"] = "strong!!"
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValidationFailed) as refused:
        restore(empty_store, ADMIN, path)
    shown = [str(p) for p in refused.value.problems]
    assert (
        "backup.json[accounts]:1: role: unknown role 'superuser' (one of: viewer, member, "
        "editor, admin)" in shown
    )
    assert "backup.json[ties]:1: strength: 'strong!!' is not a number" in shown


def test_what_a_backup_brings_is_said_in_the_readers_language(demo_store, tmp_path):
    from netmap.i18n import language

    contents = read_backup(backup(demo_store, ADMIN, tmp_path / "kept.db"))
    institutions = len(demo_store.snapshot().institutions)
    assert contents.summary().startswith(f"{institutions} institutions, ")
    with language("bg"):
        said = contents.summary()
    assert said.startswith(f"{institutions} институции, ") and said.endswith("нито един акаунт")
