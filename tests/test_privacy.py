"""A person's data: everything held can be shown, erased without trace, and kept fresh."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netmap.access import Role, User
from netmap.cli import app
from netmap.dates import months_since
from netmap.errors import AccessDenied, NotFound
from netmap.export import export_network
from netmap.model import RecordKind
from netmap.privacy import erase_person, person_export, stale_contacts, uninformed_contacts
from netmap.store.base import ERASED, Network

ADMIN = User("admin", Role.ADMIN)
PERSON = "c-nshc-korac-mandic"
TRACES = [b"danijela.nshc@gmail.com", "Korać".encode(), b"korac-mandic", b"+381 21 000 111"]


def store_files(store) -> bytes:
    path = Path(store.path)
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


@pytest.fixture
def person_with_history(demo_store):
    contact = demo_store.get(RecordKind.CONTACT, PERSON)
    demo_store.update(contact.model_copy(update={"phone": "+381 21 000 111"}))
    return demo_store


def test_person_export_holds_the_record_and_its_history_and_nobody_else(person_with_history):
    document = person_export(person_with_history, ADMIN, PERSON)
    assert document["contact"]["email"] == "danijela.nshc@gmail.com"
    assert document["institution"] == {
        "id": "rs-novi-sad-nshc",
        "name": document["institution"]["name"],
    }
    assert [c["action"] for c in document["changes"]] == ["update", "create"]
    text = json.dumps(document, ensure_ascii=False)
    assert "arsis.antitrafficking" not in text and "Valkov" not in text


def test_erasure_leaves_no_trace_in_the_database_files(person_with_history):
    store = person_with_history
    assert all(trace in store_files(store) for trace in TRACES[:2])
    alias = erase_person(store, ADMIN, PERSON)
    raw = store_files(store)
    for trace in TRACES:
        assert trace not in raw, trace
    with pytest.raises(NotFound):
        store.get(RecordKind.CONTACT, PERSON)
    history = store.changes(record_id=alias, limit=None)
    assert [c.action for c in history] == ["erase", "update", "create"]
    assert history[1].fields == {"phone": [ERASED, ERASED]}


def test_after_erasure_exports_and_the_log_hold_nothing_of_the_person(
    person_with_history, tmp_path
):
    store = person_with_history
    erase_person(store, ADMIN, PERSON)
    export_network(store.snapshot(), tmp_path / "all.json", "json")
    text = (tmp_path / "all.json").read_bytes()
    text += json.dumps([c.fields for c in store.changes(limit=None)]).encode()
    for trace in TRACES:
        assert trace not in text


def test_only_admins_export_or_erase_people(demo_store):
    member = User("m", Role.MEMBER)
    with pytest.raises(AccessDenied):
        person_export(demo_store, member, PERSON)
    with pytest.raises(AccessDenied):
        erase_person(demo_store, member, PERSON)


def test_stale_contacts_are_those_not_verified_within_the_policy_period(demo_network):
    frozen = date(2026, 11, 23)
    stale = stale_contacts(demo_network, months=12, today=frozen)
    # nobody has verified the demo's contacts since their documents were published
    assert list(stale["id"]) == sorted(demo_network.contacts["id"])
    assert all(months is None for months in stale["months_since"])
    verified = demo_network.contacts.assign(last_verified=["2026-06", "2013", "2026-10"])
    checked = Network({**demo_network.tables, RecordKind.CONTACT: verified})
    stale = stale_contacts(checked, months=12, today=frozen)
    assert list(stale["id"]) == [demo_network.contacts["id"][1]]
    assert stale.iloc[0]["months_since"] == (2026 - 2013) * 12 + 10
    assert list(stale_contacts(checked, months=200, today=frozen)["id"]) == []


def test_contacts_not_told_they_are_listed_are_reported(demo_network):
    assert len(uninformed_contacts(demo_network)) == len(demo_network.contacts)


runner = CliRunner()


def test_person_commands_through_the_cli(person_with_history):
    url = f"sqlite:///{person_with_history.path}"
    exported = runner.invoke(app, ["--store", url, "person", "export", PERSON])
    assert exported.exit_code == 0
    assert json.loads(exported.output)["contact"]["id"] == PERSON
    refused = runner.invoke(app, ["--store", url, "person", "erase", PERSON], input="n\n")
    assert refused.exit_code == 1
    assert person_with_history.get(RecordKind.CONTACT, PERSON)
    erased = runner.invoke(app, ["--store", url, "person", "erase", PERSON, "--yes"])
    assert erased.exit_code == 0, erased.output
    assert "erased-" in erased.output
    missing = runner.invoke(app, ["--store", url, "person", "export", PERSON])
    assert missing.exit_code == 1
    assert missing.stderr.startswith("error: there is no contact")


def test_stale_and_log_commands(demo_store):
    url = f"sqlite:///{demo_store.path}"
    stale = runner.invoke(app, ["--store", url, "stale", "--months", "12", "--json"])
    assert stale.exit_code == 0
    assert {r["id"] for r in json.loads(stale.output)["stale"]} >= {"c-plovdiv-valkov"}
    log = runner.invoke(app, ["--store", url, "log", "--record", "gr-thessaloniki-arsis", "--json"])
    assert json.loads(log.output)[0]["action"] == "create"


def test_retention_counts_a_partial_date_from_its_first_day_the_gaps_from_its_last():
    june = date(2018, 6, 15)
    assert months_since("2017", june) == 5  # from 2017-12-31: never staler than it may be
    assert months_since("2017", june, from_first_day=True) == 17  # due as early as it may be
    assert (
        months_since("2018-05-20", june)
        == months_since("2018-05-20", june, from_first_day=True)
        == 0
    )
