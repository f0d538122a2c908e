"""Erasure after delete: deleting someone is how most people "remove" them, and the
change log must not keep them forever. Written as the attack: delete, then erase, then
read the raw database files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from builders import institution
from typer.testing import CliRunner

from netmap.access import Role, User
from netmap.cli import app
from netmap.errors import NotFound
from netmap.model import Contact, RecordKind
from netmap.privacy import erase_person, person_export
from netmap.store import SQLiteStore
from netmap.store.base import ERASED

ADMIN = User("admin", Role.ADMIN)
PERSON = Contact(
    id="rs-nis-csw-drazhomira-vexlerova",
    institution_id="rs-nis-csw",
    name="Drazhomira Vexlerova",
    role="Head of the Vexlerova outreach team",
    email="d.vexlerova@csr-nis.example",
    phone="+381 18 555 0199",
    languages=["sr", "bg"],
    collected_on="2025-02-03",
    verified_by="Milena Stojković",
    informed_on="2025-02-10",
    legal_basis="legitimate_interests",
)
NEW_PHONE = "+381 18 555 0777"
TRACES = [
    b"Drazhomira",
    b"Vexlerova",
    b"vexlerova",
    b"d.vexlerova@csr-nis.example",
    b"555 0199",
    b"555 0777",
    "Stojković".encode(),
    b"outreach team",
]


def raw_files(store: SQLiteStore) -> bytes:
    """The store's file and whatever lies beside it (-wal, -shm, -journal)."""
    path = Path(store.path)
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))


def with_person(store):
    store.add(institution("rs-nis-csw", name="Centre for Social Work Niš"))
    store.add(PERSON)
    stored = store.get(RecordKind.CONTACT, PERSON.id)
    store.update(stored.model_copy(update={"phone": NEW_PHONE}))
    return store


@pytest.fixture
def sqlite_store(tmp_path) -> SQLiteStore:
    return with_person(SQLiteStore(tmp_path / "people.db", actor="editor"))


@pytest.mark.parametrize("removal", ["contact", "institution"])
def test_delete_then_erase_leaves_no_trace_in_the_raw_files(sqlite_store, removal):
    store = sqlite_store
    assert all(trace in raw_files(store) for trace in TRACES[:4])
    if removal == "contact":
        store.delete(RecordKind.CONTACT, PERSON.id)
    else:
        store.delete(RecordKind.INSTITUTION, "rs-nis-csw")  # the contact goes with it
    with pytest.raises(NotFound):
        store.get(RecordKind.CONTACT, PERSON.id)
    alias = erase_person(store, ADMIN, PERSON.id)
    raw = raw_files(store)
    for trace in TRACES:
        assert trace not in raw, trace
    assert PERSON.id.encode() not in raw
    history = store.changes(record_id=alias, limit=None)
    assert [c.action for c in history] == ["erase", "delete", "update", "create"]


def test_deleting_a_contact_logs_none_of_their_details(empty_store):
    store = with_person(empty_store)
    store.delete(RecordKind.CONTACT, PERSON.id)
    deleted = store.changes(record_id=PERSON.id, limit=1)[0]
    assert deleted.action == "delete"
    assert deleted.fields == {"institution_id": "rs-nis-csw"}


def test_an_institutions_delete_logs_its_contacts_without_their_details(empty_store):
    store = with_person(empty_store)
    store.delete(RecordKind.INSTITUTION, "rs-nis-csw")
    cascaded = store.changes(record_id=PERSON.id, limit=1)[0]
    assert (cascaded.action, cascaded.fields) == ("delete", {"institution_id": "rs-nis-csw"})
    # An institution is no one's personal data: its delete can still be undone from the log.
    assert store.changes(record_id="rs-nis-csw", limit=1)[0].fields["name"] == (
        "Centre for Social Work Niš"
    )


@pytest.mark.parametrize("delete_first", [False, True])
def test_erasure_scrubs_every_field_of_every_entry_on_every_backend(empty_store, delete_first):
    store = with_person(empty_store)
    if delete_first:
        store.delete(RecordKind.CONTACT, PERSON.id)
    alias = erase_person(store, ADMIN, PERSON.id)
    assert store.changes(record_id=PERSON.id, limit=None) == []
    history = store.changes(record_id=alias, limit=None)
    assert history[0].action == "erase"
    update = next(c for c in history if c.action == "update")
    assert update.fields == {"phone": [ERASED, ERASED]}
    logged = json.dumps([c.fields for c in store.changes(limit=None)], ensure_ascii=False)
    for trace in TRACES:
        assert trace.decode() not in logged


def test_erasing_an_id_nobody_ever_held_is_not_found(empty_store):
    with pytest.raises(NotFound, match="nothing about one"):
        erase_person(empty_store, ADMIN, "rs-nis-nobody")


def test_the_pseudonym_is_random_not_a_function_of_the_name_derived_id(empty_store):
    store = with_person(empty_store)
    first = erase_person(store, ADMIN, PERSON.id)
    store.add(PERSON)
    second = erase_person(store, ADMIN, PERSON.id)
    assert first != second
    unsalted = hashlib.sha256(PERSON.id.encode()).hexdigest()
    assert first.removeprefix("erased-") not in unsalted
    assert second.removeprefix("erased-") not in unsalted


def test_a_deleted_persons_data_can_still_be_exported_before_erasure(empty_store):
    store = with_person(empty_store)
    store.delete(RecordKind.CONTACT, PERSON.id)
    document = person_export(store, ADMIN, PERSON.id)
    assert document["contact"] is None
    assert [c["action"] for c in document["changes"]] == ["delete", "update", "create"]


def test_the_cli_erases_a_deleted_contact(sqlite_store):
    sqlite_store.delete(RecordKind.CONTACT, PERSON.id)
    runner = CliRunner()
    url = f"sqlite:///{sqlite_store.path}"
    erased = runner.invoke(app, ["--store", url, "person", "erase", PERSON.id, "--yes"])
    assert erased.exit_code == 0, erased.output
    assert "erased-" in erased.output
    again = runner.invoke(app, ["--store", url, "person", "erase", PERSON.id, "--yes"])
    assert again.exit_code == 1
    assert again.stderr.startswith("error: there is no contact")
    for trace in TRACES:
        assert trace not in raw_files(sqlite_store)
