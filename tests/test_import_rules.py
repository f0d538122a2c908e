"""Imports that never silently overwrite: what a re-import of an older sheet does to values
entered in the app, field by field, and ties that name their ends by name and city.

The tests that involve what the store remembers (when a field was set, earlier imports)
run on every backend (``empty_store``); the rest on SQLite.
"""

from __future__ import annotations

import io
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from netmap.errors import Conflict, ValidationFailed
from netmap.io import Outcome, import_into, plan_import, read_source, write_import
from netmap.io.reader import read_bytes
from netmap.model import RecordKind
from netmap.store import SQLiteStore
from netmap.store.sqlite import SCHEMA_VERSION

INSTITUTIONS = (
    "id,name,sector,country,city,phone,email,last_verified\n"
    "gr-arsis,ARSIS,civil_society,GR,Thessaloniki,,,\n"
    "bg-plovdiv-police,Regional Police Plovdiv,police,BG,Plovdiv,+359 32 123456,,\n"
)
# The sheet's own date: before any edit.
LONG_AGO = datetime(2025, 1, 10, 9, 0, tzinfo=UTC).timestamp()


def sheet(folder: Path, saved: float | None = LONG_AGO, **tables: str) -> Path:
    """A folder of CSV tables, each saved at ``saved`` (a POSIX time; None: now)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        path = folder / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        if saved is not None:
            os.utime(path, (saved, saved))
    return folder


def edit(store, kind: RecordKind, record_id: str, **values) -> None:
    """Change a record as the app's Edit page does: read it, save it at its version."""
    record = store.get(kind, record_id)
    store.update(record.model_copy(update=values))


def outcomes(plan) -> dict[tuple[str, str], str]:
    return {(c.record_id, c.field): c.outcome for c in plan.fields}


# --- nothing blanked, the conflict named (every backend) -----------------------------------


def test_an_old_sheet_imported_again_after_an_edit_in_the_app_blanks_nothing(empty_store, tmp_path):
    folder = sheet(tmp_path / "commission", institutions=INSTITUTIONS)
    import_into(empty_store, folder)
    edit(
        empty_store,
        RecordKind.INSTITUTION,
        "gr-arsis",
        phone="+30 2310 526150",
        email="info@arsis.gr",
        last_verified="2026-03-05",
    )
    edit(empty_store, RecordKind.INSTITUTION, "bg-plovdiv-police", phone="+359 32 999999")

    report = import_into(empty_store, folder, dry_run=True)
    plan = report.plan
    assert outcomes(plan) == {
        ("gr-arsis", "phone"): Outcome.KEPT,
        ("gr-arsis", "email"): Outcome.KEPT,
        ("gr-arsis", "last_verified"): Outcome.KEPT,
        ("bg-plovdiv-police", "phone"): Outcome.CONFLICT,
    }
    (conflict,) = plan.conflicts
    assert (conflict.before, conflict.in_file, conflict.after) == (
        "+359 32 999999", "+359 32 123456", "+359 32 999999",
    )  # fmt: skip
    assert conflict.why.startswith("changed in the store by contract-test on ")
    assert conflict.why.endswith("after the file's date, 2025-01-10 09:00 UTC")
    assert (conflict.file, conflict.row) == ("institutions.csv", 3)

    import_into(empty_store, folder)
    arsis = empty_store.get(RecordKind.INSTITUTION, "gr-arsis")
    assert (arsis.phone, arsis.email, arsis.last_verified) == (
        "+30 2310 526150", "info@arsis.gr", "2026-03-05",
    )  # fmt: skip
    assert empty_store.get(RecordKind.INSTITUTION, "bg-plovdiv-police").phone == "+359 32 999999"


def test_a_conflict_is_overwritten_only_when_asked(empty_store, tmp_path):
    folder = sheet(tmp_path / "commission", institutions=INSTITUTIONS)
    import_into(empty_store, folder)
    edit(empty_store, RecordKind.INSTITUTION, "bg-plovdiv-police", phone="+359 32 999999")
    report = import_into(empty_store, folder, overwrite_conflicts=True)
    assert outcomes(report.plan) == {("bg-plovdiv-police", "phone"): Outcome.OVERWRITTEN}
    assert report.plan.updated[RecordKind.INSTITUTION] == ["bg-plovdiv-police"]
    assert empty_store.get(RecordKind.INSTITUTION, "bg-plovdiv-police").phone == "+359 32 123456"


def test_an_import_checked_before_an_edit_is_refused_whole(empty_store, tmp_path):
    import_into(empty_store, sheet(tmp_path / "one", institutions=INSTITUTIONS))
    changed = INSTITUTIONS.replace("Regional Police Plovdiv", "ODMVR Plovdiv")
    report = read_source(sheet(tmp_path / "two", institutions=changed), empty_store)
    plan = plan_import(empty_store, report)
    edit(empty_store, RecordKind.INSTITUTION, "gr-arsis", phone="+30 2310 526150")
    revision = empty_store.revision()
    with pytest.raises(Conflict, match="the store changed since this was checked"):
        write_import(empty_store, plan)
    assert empty_store.revision() == revision
    assert empty_store.get(RecordKind.INSTITUTION, "bg-plovdiv-police").name == (
        "Regional Police Plovdiv"
    )
    assert empty_store.get(RecordKind.INSTITUTION, "gr-arsis").phone == "+30 2310 526150"


def test_each_import_is_kept_in_the_history_by_file_name(empty_store, tmp_path):
    folder = sheet(tmp_path / "commission", institutions=INSTITUTIONS)
    import_into(empty_store, folder)
    (entry,) = empty_store.imports("commission")
    assert entry.saved_at == "2025-01-10T09:00:00+00:00"
    assert entry.revision == empty_store.revision() and len(entry.sha256) == 64
    edit(empty_store, RecordKind.INSTITUTION, "gr-arsis", phone="+30 2310 526150")
    report = import_into(empty_store, folder, dry_run=True)
    assert report.plan.notes == [
        (
            f"commission was imported before: first on {entry.at[:10]} "
            f"{entry.at[11:16]} UTC by contract-test; this very content was imported on "
            f"{entry.at[:10]} {entry.at[11:16]} UTC."
        )
    ]


def test_ties_may_name_their_ends_by_name_and_city_in_the_store(empty_store, tmp_path):
    import_into(empty_store, sheet(tmp_path / "one", institutions=INSTITUTIONS))
    ties = (
        "source_name,source_city,target_name,target_city,kind\n"
        "arsis,Θεσσαλονίκη,Regional police PLOVDIV,Пловдив,referral\n"
    )
    report = import_into(empty_store, sheet(tmp_path / "two", ties=ties))
    (tie_id,) = report.plan.new[RecordKind.TIE]
    tie = empty_store.get(RecordKind.TIE, tie_id)
    assert (tie.source_id, tie.target_id) == ("gr-arsis", "bg-plovdiv-police")


# --- empty cells, absent columns, the file's own values (SQLite) ---------------------------


@pytest.fixture
def store(tmp_path) -> SQLiteStore:
    return SQLiteStore(tmp_path / "store.db", actor="eleni")


def test_an_empty_cell_keeps_the_stored_value_unless_asked_to_clear(store, tmp_path):
    full = INSTITUTIONS.replace("Thessaloniki,,,", "Thessaloniki,+30 2310 526150,info@arsis.gr,")
    import_into(store, sheet(tmp_path / "commission", institutions=full))
    # The same sheet, its cells emptied since: the values are its own to empty.
    emptied = sheet(tmp_path / "commission", None, institutions=INSTITUTIONS)

    kept = import_into(store, emptied)
    assert outcomes(kept.plan) == {
        ("gr-arsis", "phone"): Outcome.KEPT,
        ("gr-arsis", "email"): Outcome.KEPT,
    }
    assert kept.plan.changes == 0
    assert store.get(RecordKind.INSTITUTION, "gr-arsis").phone == "+30 2310 526150"

    cleared = import_into(store, emptied, clear_empty=True)
    assert outcomes(cleared.plan) == {
        ("gr-arsis", "phone"): Outcome.EMPTIED,
        ("gr-arsis", "email"): Outcome.EMPTIED,
    }
    arsis = store.get(RecordKind.INSTITUTION, "gr-arsis")
    assert (arsis.phone, arsis.email) == (None, None)


def test_a_column_the_file_does_not_have_changes_nothing_even_when_clearing(store, tmp_path):
    import_into(store, sheet(tmp_path / "one", institutions=INSTITUTIONS))
    edit(store, RecordKind.INSTITUTION, "gr-arsis", notes="Street work", evidence="inferred",
         inferred_from="their annual report")  # fmt: skip
    narrow = "id,name,sector,country\ngr-arsis,ARSIS Thessaloniki,civil_society,GR\n"
    report = import_into(
        store, sheet(tmp_path / "two", None, institutions=narrow), clear_empty=True
    )
    assert outcomes(report.plan) == {("gr-arsis", "name"): Outcome.CHANGED}
    arsis = store.get(RecordKind.INSTITUTION, "gr-arsis")
    assert (arsis.name, arsis.city, arsis.notes, arsis.evidence) == (
        "ARSIS Thessaloniki", "Thessaloniki", "Street work", "inferred",
    )  # fmt: skip


def test_an_empty_evidence_cell_does_not_downgrade_documented_to_reported(store, tmp_path):
    documented = (
        "id,name,sector,country,source,evidence,quote\n"
        "gr-arsis,ARSIS,civil_society,GR,report-2024,documented,«street work»\n"
    )
    import_into(store, sheet(tmp_path / "one", institutions=documented))
    plain = "id,name,sector,country,evidence\ngr-arsis,ARSIS,civil_society,GR,\n"
    import_into(store, sheet(tmp_path / "two", institutions=plain))
    assert store.get(RecordKind.INSTITUTION, "gr-arsis").evidence == "documented"


def test_the_dry_run_lists_each_field_with_its_value_before_and_after(store, tmp_path):
    import_into(store, sheet(tmp_path / "one", institutions=INSTITUTIONS))
    changed = INSTITUTIONS.replace("+359 32 123456,,", "+359 32 654321,police@plovdiv.bg,")
    report = import_into(store, sheet(tmp_path / "two", None, institutions=changed), dry_run=True)
    rows = [
        (r["record"], r["field"], r["before"], r["in_file"], r["after"], r["what"])
        for r in report.plan.rows()
    ]
    assert rows == [
        ("Regional Police Plovdiv (bg-plovdiv-police)", "email", "", "police@plovdiv.bg",
         "police@plovdiv.bg", "changed"),
        ("Regional Police Plovdiv (bg-plovdiv-police)", "phone", "+359 32 123456",
         "+359 32 654321", "+359 32 654321", "changed"),
    ]  # in the table format's order of columns  # fmt: skip
    assert store.get(RecordKind.INSTITUTION, "bg-plovdiv-police").phone == "+359 32 123456"


def test_a_value_the_file_itself_set_is_the_files_to_change(store, tmp_path):
    import_into(store, sheet(tmp_path / "commission", institutions=INSTITUTIONS))
    # The commission edits its own sheet later; the store's value came from that sheet.
    newer = INSTITUTIONS.replace("+359 32 123456", "+359 32 654321")
    report = import_into(store, sheet(tmp_path / "commission", None, institutions=newer))
    assert outcomes(report.plan) == {("bg-plovdiv-police", "phone"): Outcome.CHANGED}
    assert store.get(RecordKind.INSTITUTION, "bg-plovdiv-police").phone == "+359 32 654321"


def test_a_row_dated_after_the_edit_wins_and_one_dated_before_is_a_conflict(store, tmp_path):
    import_into(store, sheet(tmp_path / "one", institutions=INSTITUTIONS))
    edit(store, RecordKind.INSTITUTION, "bg-plovdiv-police", phone="+359 32 999999")
    dated = (
        "id,name,sector,country,phone,last_verified\n"
        "bg-plovdiv-police,Regional Police Plovdiv,police,BG,+359 32 111111,2025-02\n"
        "gr-arsis,ARSIS,civil_society,GR,+30 2310 000000,2999-01-01\n"
    )
    edit(store, RecordKind.INSTITUTION, "gr-arsis", phone="+30 2310 526150")
    # Saved now, after the edits: only the rows' own dates tell them apart.
    report = import_into(store, sheet(tmp_path / "two", None, institutions=dated), dry_run=True)
    found = outcomes(report.plan)
    assert found[("bg-plovdiv-police", "phone")] is Outcome.CONFLICT
    assert found[("gr-arsis", "phone")] is Outcome.CHANGED
    why = report.plan.conflicts[0].why
    assert why.endswith("after the row's date, 2025-02 (its last_verified)"), why


def test_a_row_is_no_newer_than_the_file_it_was_saved_in(store, tmp_path):
    import_into(store, sheet(tmp_path / "one", institutions=INSTITUTIONS))
    edit(store, RecordKind.INSTITUTION, "gr-arsis", phone="+30 2310 526150")
    dated = "id,name,sector,country,phone,last_verified\ngr-arsis,ARSIS,civil_society,GR,+30 2310 000000,2199-01-01\n"
    report = import_into(store, sheet(tmp_path / "two", institutions=dated), dry_run=True)
    conflict = {c.field: c for c in report.plan.conflicts}["phone"]
    assert conflict.why.endswith("after the file's date, 2025-01-10 09:00 UTC")


def test_an_upload_without_a_date_counts_edits_in_the_app_as_newer(store, tmp_path):
    import_into(store, sheet(tmp_path / "other", institutions=INSTITUTIONS))
    edit(store, RecordKind.INSTITUTION, "bg-plovdiv-police", email="police@plovdiv.bg")
    upload = (
        "id,name,sector,country,phone,email\n"
        "bg-plovdiv-police,Regional Police Plovdiv,police,BG,+359 32 654321,old@plovdiv.bg\n"
    )
    report = import_into(store, ("institutions.csv", upload.encode()))
    found = outcomes(report.plan)
    # Set by an edit: kept. Set by another file's import: that file does not outrank this one.
    assert found[("bg-plovdiv-police", "email")] is Outcome.CONFLICT
    assert found[("bg-plovdiv-police", "phone")] is Outcome.CHANGED
    assert report.plan.conflicts[0].why.endswith("netmap cannot tell the file's date")
    police = store.get(RecordKind.INSTITUTION, "bg-plovdiv-police")
    assert (police.email, police.phone) == ("police@plovdiv.bg", "+359 32 654321")


def test_a_conflict_kept_once_is_kept_again_at_the_next_import(store, tmp_path):
    upload = INSTITUTIONS.encode()
    import_into(store, ("institutions.csv", upload))
    edit(store, RecordKind.INSTITUTION, "bg-plovdiv-police", phone="+359 32 999999")
    renamed = INSTITUTIONS.replace("ARSIS,", "ARSIS Thessaloniki,").encode()
    second = import_into(store, ("institutions.csv", renamed))
    assert second.plan.updated[RecordKind.INSTITUTION] == ["gr-arsis"]
    assert outcomes(second.plan)[("bg-plovdiv-police", "phone")] is Outcome.CONFLICT
    third = import_into(store, ("institutions.csv", renamed), dry_run=True)
    assert outcomes(third.plan) == {("bg-plovdiv-police", "phone"): Outcome.CONFLICT}
    assert "after this file's first import" in third.plan.conflicts[0].why


def test_a_kept_value_that_the_new_ones_contradict_is_named_with_its_row(store, tmp_path):
    ties = "id,source_id,target_id,kind,since\nt-1,gr-arsis,bg-plovdiv-police,referral,2022\n"
    import_into(store, sheet(tmp_path / "one", institutions=INSTITUTIONS, ties=ties))
    ended = (
        "id,source_id,target_id,kind,since,until\nt-1,gr-arsis,bg-plovdiv-police,referral,,2020\n"
    )
    with pytest.raises(ValidationFailed) as failed:
        import_into(store, sheet(tmp_path / "two", None, ties=ended))
    (problem,) = failed.value.problems
    assert str(problem).startswith("ties.csv:2: until: 2020 is before since 2022 (in the record")
    assert store.get(RecordKind.TIE, "t-1").until is None


# --- names instead of ids, did-you-mean, knock-on failures (SQLite) ------------------------

THREE_CSR = (
    "id,name,acronym,sector,country,city\n"
    "rs-nis-csr,Centar za socijalni rad Niš,CSR,social_services,RS,Niš\n"
    "rs-kragujevac-csr,Centar za socijalni rad Kragujevac,CSR,social_services,RS,Kragujevac\n"
    "rs-nis-police,Policijska uprava Niš,PU Niš,police,RS,Niš\n"
)


def problems_of(store, folder: Path) -> list[str]:
    with pytest.raises(ValidationFailed) as failed:
        import_into(store, folder)
    return [str(p) for p in failed.value.problems]


def test_an_acronym_with_a_city_names_one_institution(store, tmp_path):
    ties = "source_name,source_city,target_name,kind\nCSR,Ниш,PU Niš,referral\n"
    report = import_into(store, sheet(tmp_path / "net", institutions=THREE_CSR, ties=ties))
    tie = store.get(RecordKind.TIE, report.plan.new[RecordKind.TIE][0])
    assert (tie.source_id, tie.target_id) == ("rs-nis-csr", "rs-nis-police")


def test_an_ambiguous_or_unknown_name_is_named_with_file_row_and_field(store, tmp_path):
    ties = (
        "source_name,source_city,target_name,target_city,kind\n"
        "CSR,,PU Niš,Niš,referral\n"
        "Centar za socijalni rad Nis,Niš,Policijska upava Niš,Niš,referral\n"
        "CSR,Leskovac,PU Niš,,referral\n"
    )
    lines = problems_of(store, sheet(tmp_path / "net", institutions=THREE_CSR, ties=ties))
    assert lines == [
        (
            "ties.csv:2: source_name: 'CSR' names 2 institutions (rs-nis-csr (Niš), "
            "rs-kragujevac-csr (Kragujevac)): add source_city, or write the one you mean in "
            "source_id"
        ),
        (
            "ties.csv:3: target_name: unknown institution 'Policijska upava Niš' in Niš; did "
            "you mean 'Policijska uprava Niš'? (in Niš: Centar za socijalni rad Niš, Policijska "
            "uprava Niš)"
        ),
        (
            "ties.csv:4: source_name: no institution named 'CSR' in Leskovac; there are "
            "rs-nis-csr (Niš), rs-kragujevac-csr (Kragujevac)"
        ),
    ]
    assert store.counts()[RecordKind.TIE] == 0


def test_a_name_that_contradicts_the_id_beside_it_is_refused(store, tmp_path):
    ties = "source_id,source_name,target_id,kind\nrs-kragujevac-csr,PU Niš,rs-nis-csr,referral\n"
    lines = problems_of(store, sheet(tmp_path / "net", institutions=THREE_CSR, ties=ties))
    assert lines == [
        (
            "ties.csv:2: source_name: 'PU Niš' is institution 'rs-nis-police', but source_id "
            "says 'rs-kragujevac-csr'"
        )
    ]


def test_a_mistyped_id_gets_a_did_you_mean(store, tmp_path):
    import_into(store, sheet(tmp_path / "one", institutions=THREE_CSR))
    ties = "source_id,target_id,kind\nrs-nis-crs,rs-nis-police,referral\n"
    assert problems_of(store, sheet(tmp_path / "two", ties=ties)) == [
        (
            "ties.csv:2: source_id: no institution with id 'rs-nis-crs' in this import or in the "
            "store; did you mean 'rs-nis-csr'?"
        )
    ]


def test_a_row_that_fails_only_because_another_failed_says_so(store, tmp_path):
    institutions = THREE_CSR.replace("PU Niš,police,RS", "PU Niš,polce,RS")
    ties = "source_id,target_id,kind\nrs-nis-csr,rs-nis-police,referral\n"
    contacts = "institution_id,name\nrs-nis-police,Duty officer\n"
    folder = sheet(tmp_path / "net", institutions=institutions, ties=ties, contacts=contacts)
    lines = problems_of(store, folder)
    assert len(lines) == 3
    assert lines[0] == (
        "contacts.csv:2: institution_id: institution 'rs-nis-police' is not imported "
        "because institutions.csv row 4 failed"
    )
    assert lines[1].startswith("institutions.csv:4: sector: unknown sector 'polce'")
    assert lines[2] == (
        "ties.csv:2: target_id: institution 'rs-nis-police' is not imported because "
        "institutions.csv row 4 failed"
    )
    by_name = (
        "source_id,target_name,target_city,kind\nrs-nis-csr,Policijska uprava Niš,Niš,meeting\n"
    )
    named = problems_of(store, sheet(tmp_path / "named", institutions=institutions, ties=by_name))
    assert named[-1] == (
        "ties.csv:2: target_id: institution 'rs-nis-police' is not imported because "
        "institutions.csv row 4 failed"
    )


# --- the file's date, and a store made before the import history -----------------------------


def test_a_workbook_carries_its_own_date_through_an_upload():
    workbook = openpyxl.Workbook()
    workbook.active.title = "institutions"
    workbook.active.append(["name", "sector", "country"])
    workbook.active.append(["ARSIS", "civil_society", "GR"])
    buffer = io.BytesIO()
    workbook.save(buffer)  # openpyxl stamps "last saved" now, in UTC
    before = datetime.now().astimezone()
    raw = read_bytes(buffer.getvalue(), "commission.xlsx")
    saved = datetime.fromisoformat(raw.tables[RecordKind.INSTITUTION].saved_at)
    assert abs((saved - before).total_seconds()) < 60
    assert (raw.name, len(raw.sha256)) == ("commission.xlsx", 64)
    # A copy saved on disk later keeps the earlier date: the cells are no newer.
    later = read_bytes(buffer.getvalue(), "commission.xlsx", "2999-01-01T00:00:00+00:00")
    assert later.tables[RecordKind.INSTITUTION].saved_at == saved.isoformat()


def test_a_store_made_before_the_import_history_gets_one(tmp_path):
    path = tmp_path / "old.db"
    SQLiteStore(path)
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE imports")
        connection.execute("PRAGMA user_version = 3")
    store = SQLiteStore(path, actor="eleni")
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    import_into(store, sheet(tmp_path / "commission", institutions=INSTITUTIONS))
    assert [entry.source for entry in store.imports()] == ["commission"]
