"""The store contract: written once, run against every backend (``empty_store``)."""

from __future__ import annotations

import pytest

from netmap.errors import AlreadyExists, Conflict, NotFound, ReferenceProblem
from netmap.model import (
    City,
    Contact,
    Initiative,
    Institution,
    Participation,
    RecordKind,
    Tie,
)
from netmap.store.base import ERASED, Account, ImportEntry, RecordSet

INJECTION = "Robby' WITH true AS x MATCH (n) DETACH DELETE n //"


def small_network() -> RecordSet:
    """Two cities, three institutions (Greek, Cyrillic, Latin), ties, an initiative."""
    batch = RecordSet()
    for record in [
        City(name="Thessaloniki", name_local="Θεσσαλονίκη", country="GR", lat=40.64, lon=22.94),
        City(name="Plovdiv", name_local="Пловдив", country="BG", lat=42.14, lon=24.75),
        Institution(
            id="gr-arsis",
            name="ARSIS",
            name_local="ΑΡΣΙΣ – Κοινωνική Οργάνωση Υποστήριξης Νέων",
            sector="civil_society",
            kind="ngo",
            level="regional",
            country="GR",
            city="Thessaloniki",
            services=["outreach", "psychosocial"],
            languages=["el", "en"],
            target_groups=["children"],
            source="000_99ebc6db12e554c9.txt",
            last_verified="2026-03",
        ),
        Institution(
            id="bg-plovdiv-commission",
            name="Local Commission Plovdiv",
            name_local="Местна комисия за борба с трафика на хора – Пловдив",
            sector="local_government",
            country="BG",
            city="Plovdiv",
            languages=["bg"],
        ),
        Institution(id="rs-nis-police", name="Police Niš", sector="police", country="RS"),
        Initiative(
            id="see-protocol",
            name="Transnational Cooperation Protocol",
            kind="protocol",
            start="2024-01-01",
            end="2026-03-31",
            countries=["GR", "BG", "RO"],
        ),
        Contact(
            id="c-arsis",
            institution_id="gr-arsis",
            name="ARSIS anti-trafficking team",
            email="arsis.antitrafficking@gmail.com",
            languages=["el"],
            focal_point=True,
            legal_basis="legitimate_interests",
        ),
        Tie(
            id="t-1",
            source_id="gr-arsis",
            target_id="bg-plovdiv-commission",
            kind="protocol",
            strength=3,
            since="2024",
            initiative_id="see-protocol",
        ),
        Tie(
            id="t-2", source_id="bg-plovdiv-commission", target_id="rs-nis-police", kind="referral"
        ),
        Participation(institution_id="gr-arsis", initiative_id="see-protocol", role="lead"),
    ]:
        batch.add(record)
    return batch


def test_a_new_store_is_empty(empty_store):
    assert set(empty_store.counts().values()) == {0}
    assert empty_store.snapshot().institutions.empty


def test_every_record_kind_round_trips_with_its_fields(empty_store):
    batch = small_network()
    empty_store.write(batch)
    for record in batch:
        stored = empty_store.get(record.record_kind, record.id)
        assert stored.data() == record.data()
        assert stored.version == 1
        assert stored.updated_at


def test_writing_the_same_batch_twice_changes_nothing_the_second_time(empty_store):
    first = empty_store.write(small_network())
    revision = empty_store.revision()
    second = empty_store.write(small_network())
    assert first.changes == len(small_network())
    assert second.changes == 0
    assert empty_store.revision() == revision


def test_plan_tells_new_updated_and_unchanged_without_writing(empty_store):
    empty_store.write(small_network())
    batch = small_network()
    batch.records[RecordKind.INSTITUTION][0] = batch.records[RecordKind.INSTITUTION][0].model_copy(
        update={"notes": "Street work in Athens too"}
    )
    batch.add(
        Institution(
            id="ro-tdh", name="Terre des hommes Romania", sector="civil_society", country="RO"
        )
    )
    revision = empty_store.revision()
    plan = empty_store.plan(batch)
    assert plan.new[RecordKind.INSTITUTION] == ["ro-tdh"]
    assert plan.updated[RecordKind.INSTITUTION] == ["gr-arsis"]
    assert "rs-nis-police" in plan.unchanged[RecordKind.INSTITUTION]
    assert empty_store.revision() == revision
    assert empty_store.counts()[RecordKind.INSTITUTION] == 3


def test_a_batch_with_a_broken_reference_writes_nothing(empty_store):
    empty_store.write(small_network())
    counts = empty_store.counts()
    revision = empty_store.revision()
    batch = RecordSet()
    batch.add(Institution(id="gr-new", name="New NGO", sector="civil_society", country="GR"))
    batch.add(Tie(id="t-broken", source_id="gr-new", target_id="nowhere", kind="meeting"))
    with pytest.raises(ReferenceProblem):
        empty_store.write(batch)
    assert empty_store.counts() == counts
    assert empty_store.revision() == revision


def test_adding_an_existing_id_is_refused(empty_store):
    empty_store.write(small_network())
    with pytest.raises(AlreadyExists):
        empty_store.add(Institution(id="gr-arsis", name="Other", sector="police", country="GR"))


def test_adding_a_tie_to_a_missing_institution_is_refused(empty_store):
    empty_store.write(small_network())
    with pytest.raises(ReferenceProblem, match="nowhere"):
        empty_store.add(Tie(id="t-x", source_id="gr-arsis", target_id="nowhere", kind="meeting"))


def test_an_edit_bumps_version_and_revision_and_is_logged(empty_store):
    empty_store.write(small_network())
    record = empty_store.get(RecordKind.INSTITUTION, "gr-arsis")
    revision = empty_store.revision()
    saved = empty_store.update(record.model_copy(update={"phone": "+30 2310 526150"}))
    assert saved.version == record.version + 1
    assert saved.phone == "+30 2310 526150"
    assert empty_store.revision() > revision
    change = empty_store.changes(record_id="gr-arsis")[0]
    assert change.action == "update"
    assert change.actor == "contract-test"
    assert change.fields == {"phone": [None, "+30 2310 526150"]}


def test_an_edit_that_changes_nothing_writes_nothing(empty_store):
    empty_store.write(small_network())
    record = empty_store.get(RecordKind.INSTITUTION, "gr-arsis")
    revision = empty_store.revision()
    assert empty_store.update(record).version == record.version
    assert empty_store.revision() == revision


def test_the_second_of_two_editors_gets_a_conflict(empty_store):
    empty_store.write(small_network())
    first = empty_store.get(RecordKind.INSTITUTION, "gr-arsis")
    second = empty_store.get(RecordKind.INSTITUTION, "gr-arsis")
    empty_store.update(first.model_copy(update={"notes": "first editor"}))
    with pytest.raises(Conflict, match="changed by someone else"):
        empty_store.update(second.model_copy(update={"notes": "second editor"}))
    assert empty_store.get(RecordKind.INSTITUTION, "gr-arsis").notes == "first editor"


def test_editing_or_deleting_a_missing_record_says_so(empty_store):
    with pytest.raises(NotFound):
        empty_store.update(Institution(id="nope", name="N", sector="police", country="GR"))
    with pytest.raises(NotFound):
        empty_store.delete(RecordKind.INSTITUTION, "nope")
    with pytest.raises(NotFound):
        empty_store.get(RecordKind.TIE, "nope")


def test_deleting_an_institution_removes_its_contacts_ties_and_participations(empty_store):
    empty_store.write(small_network())
    empty_store.delete(RecordKind.INSTITUTION, "gr-arsis")
    counts = empty_store.counts()
    assert counts[RecordKind.INSTITUTION] == 2
    assert counts[RecordKind.CONTACT] == 0
    assert counts[RecordKind.PARTICIPATION] == 0
    assert [t.id for t in empty_store.list(RecordKind.TIE)] == ["t-2"]
    deleted = {(c.kind, c.record_id) for c in empty_store.changes() if c.action == "delete"}
    assert {("institutions", "gr-arsis"), ("contacts", "c-arsis"), ("ties", "t-1")} <= deleted


def test_deleting_an_initiative_keeps_its_ties_without_the_reference(empty_store):
    empty_store.write(small_network())
    empty_store.delete(RecordKind.INITIATIVE, "see-protocol")
    assert empty_store.get(RecordKind.TIE, "t-1").initiative_id is None
    assert empty_store.counts()[RecordKind.PARTICIPATION] == 0


def test_deleting_with_a_stale_version_is_refused(empty_store):
    empty_store.write(small_network())
    record = empty_store.get(RecordKind.INSTITUTION, "rs-nis-police")
    empty_store.update(record.model_copy(update={"notes": "moved"}))
    with pytest.raises(Conflict):
        empty_store.delete(RecordKind.INSTITUTION, "rs-nis-police", version=record.version)


def test_snapshot_holds_every_record_with_lists_and_none(empty_store):
    empty_store.write(small_network())
    network = empty_store.snapshot()
    assert network.counts() == empty_store.counts()
    arsis = network.institutions.set_index("id").loc["gr-arsis"]
    assert arsis["languages"] == ["el", "en"]
    assert arsis["acronym"] is None
    police = network.institutions.set_index("id").loc["rs-nis-police"]
    assert police["services"] == []
    assert network.ties.set_index("id").loc["t-2", "directed"] is True
    assert network.cities.set_index("name").loc["Plovdiv", "lat"] == pytest.approx(42.14)


def test_the_outline_holds_the_snapshots_outline_columns(empty_store):
    empty_store.write(small_network())
    empty_store.add(
        Tie(id="t-undated", source_id="gr-arsis", target_id="rs-nis-police", kind="referral")
    )
    snapshot, outline = empty_store.snapshot(), empty_store.outline()
    assert outline.is_outline and not snapshot.is_outline
    for kind, frame in outline.tables.items():
        expected = snapshot.outlined().tables[kind]
        assert list(frame.columns) == list(expected.columns), kind

        # Ties come in no particular order; each kind's rows are the snapshot's.
        def rows(table):
            return sorted(map(repr, table.itertuples(index=False)))

        assert rows(frame) == rows(expected), kind
    assert outline.counts()[RecordKind.CONTACT] == 0
    assert list(outline.institutions["id"]) == sorted(outline.institutions["id"])
    undated = outline.ties[outline.ties["since"].isna()].iloc[0]
    assert undated["until"] is None and undated["initiative_id"] is None


def test_list_is_ordered_by_id_and_existing_ids_checks_membership(empty_store):
    empty_store.write(small_network())
    ids = [r.id for r in empty_store.list(RecordKind.INSTITUTION)]
    assert ids == sorted(ids)
    found = empty_store.existing_ids(RecordKind.INSTITUTION, {"gr-arsis", "missing"})
    assert found == {"gr-arsis"}


def test_text_that_looks_like_a_query_is_stored_as_text(empty_store):
    empty_store.write(small_network())
    counts = empty_store.counts()
    empty_store.add(
        Institution(id="inj", name=INJECTION, sector="other", country="GR", notes=INJECTION)
    )
    stored = empty_store.get(RecordKind.INSTITUTION, "inj")
    assert stored.name == INJECTION
    after = empty_store.counts()
    assert after[RecordKind.INSTITUTION] == counts[RecordKind.INSTITUTION] + 1
    assert {k: v for k, v in after.items() if k is not RecordKind.INSTITUTION} == {
        k: v for k, v in counts.items() if k is not RecordKind.INSTITUTION
    }


def test_the_change_log_names_who_did_what(empty_store):
    empty_store.write(small_network())
    creates = [c for c in empty_store.changes(limit=None) if c.action == "create"]
    assert len(creates) == len(small_network())
    assert {c.actor for c in creates} == {"contract-test"}
    newest_first = [c.seq for c in empty_store.changes(limit=None)]
    assert newest_first == sorted(newest_first, reverse=True)


def test_accounts_are_saved_replaced_listed_and_removed(empty_store):
    empty_store.save_account(Account("eleni", "editor", password_hash="$argon2id$x"))
    empty_store.save_account(Account("ana", "viewer", email="ana@example.org"))
    empty_store.save_account(Account("eleni", "admin", password_hash="$argon2id$y"))
    accounts = empty_store.accounts()
    assert [(a.name, a.role) for a in accounts] == [("ana", "viewer"), ("eleni", "admin")]
    assert accounts[1].password_hash == "$argon2id$y"
    empty_store.remove_account("ana")
    assert [a.name for a in empty_store.accounts()] == ["eleni"]
    with pytest.raises(NotFound):
        empty_store.remove_account("ana")


def test_erasing_a_person_removes_them_and_scrubs_the_log(empty_store):
    empty_store.write(small_network())
    contact = empty_store.get(RecordKind.CONTACT, "c-arsis")
    empty_store.update(contact.model_copy(update={"phone": "+30 2310 000 000"}))
    alias = empty_store.erase_person("c-arsis")
    assert alias != "c-arsis"
    with pytest.raises(NotFound):
        empty_store.get(RecordKind.CONTACT, "c-arsis")
    assert empty_store.changes(record_id="c-arsis") == []
    history = empty_store.changes(record_id=alias)
    assert [c.action for c in history] == ["erase", "update", "create"]
    assert history[1].fields == {"phone": [ERASED, ERASED]}
    logged = repr([c.fields for c in empty_store.changes(limit=None)])
    assert "arsis.antitrafficking" not in logged and "2310 000 000" not in logged


def test_erasing_everything_empties_the_store_and_moves_the_revision(empty_store):
    empty_store.write(small_network())
    empty_store.save_account(Account("eleni", "editor", password_hash="h"))
    revision = empty_store.revision()
    empty_store.erase_everything()
    assert set(empty_store.counts().values()) == {0}
    assert empty_store.accounts() == []
    assert empty_store.revision() != revision


# --- what an import needs: records by id, when fields changed, the import history ---------


def test_get_many_returns_the_stored_records_among_the_ids(empty_store):
    assert empty_store.get_many(RecordKind.INSTITUTION, ["gr-arsis"]) == {}
    empty_store.write(small_network())
    found = empty_store.get_many(RecordKind.INSTITUTION, ["gr-arsis", "nowhere", "rs-nis-police"])
    assert sorted(found) == ["gr-arsis", "rs-nis-police"]
    assert found["gr-arsis"].data() == empty_store.get(RecordKind.INSTITUTION, "gr-arsis").data()
    assert list(empty_store.get_many(RecordKind.TIE, ["t-2"])) == ["t-2"]


def test_field_changes_say_when_each_field_was_last_set_and_by_which_write(empty_store):
    empty_store.write(small_network())
    created = empty_store.revision()
    record = empty_store.get(RecordKind.INSTITUTION, "gr-arsis")
    empty_store.update(record.model_copy(update={"phone": "+30 2310 526150"}))
    edited = empty_store.revision()
    stale = record.model_copy(update={"email": "late@example.org"})
    with pytest.raises(Conflict):
        empty_store.update(stale)  # refused: logged as a conflict, not a change

    stamps = empty_store.field_changes(RecordKind.INSTITUTION, ["gr-arsis", "rs-nis-police", "x"])
    assert sorted(stamps) == ["gr-arsis", "rs-nis-police"]
    arsis = stamps["gr-arsis"]
    assert arsis["phone"].revision == edited
    assert arsis["email"].revision == created == arsis["name"].revision
    assert arsis["phone"].actor == "contract-test"
    assert arsis["phone"].at >= arsis["name"].at
    assert set(arsis) == set(Institution.data_fields())


def test_a_write_prepared_on_an_older_revision_is_refused_whole(empty_store):
    empty_store.write(small_network())
    prepared = empty_store.revision()
    record = empty_store.get(RecordKind.INSTITUTION, "gr-arsis")
    empty_store.update(record.model_copy(update={"phone": "+30 2310 526150"}))
    batch = RecordSet()
    batch.add(
        Institution(id="ro-tdh", name="Terre des hommes", sector="civil_society", country="RO")
    )
    with pytest.raises(Conflict, match="the store changed since this was checked"):
        empty_store.write(batch, expected_revision=prepared)
    assert empty_store.existing_ids(RecordKind.INSTITUTION, {"ro-tdh"}) == set()
    empty_store.write(batch, expected_revision=empty_store.revision())
    assert empty_store.existing_ids(RecordKind.INSTITUTION, {"ro-tdh"}) == {"ro-tdh"}


def test_an_import_is_kept_in_the_history_with_the_revision_it_made(empty_store):
    sheet = ImportEntry("commission.xlsx", "ab" * 32, saved_at="2026-01-10T09:00:00+00:00")
    empty_store.write(small_network(), imported=sheet)
    (kept,) = empty_store.imports("commission.xlsx")
    assert (kept.source, kept.sha256, kept.saved_at) == (sheet.source, sheet.sha256, sheet.saved_at)
    assert (kept.revision, kept.actor) == (empty_store.revision(), "contract-test")
    assert kept.at
    # A write that changes nothing is no import: the history stays as it is.
    empty_store.write(small_network(), imported=ImportEntry("commission.xlsx", "cd" * 32))
    assert len(empty_store.imports("commission.xlsx")) == 1
    other = RecordSet()
    other.add(
        Institution(id="ro-tdh", name="Terre des hommes", sector="civil_society", country="RO")
    )
    empty_store.write(other, imported=ImportEntry("other.csv", "ef" * 32))
    assert [i.source for i in empty_store.imports()] == ["commission.xlsx", "other.csv"]
    assert empty_store.imports("nothing.xlsx") == []
    empty_store.erase_everything()
    assert empty_store.imports() == []
