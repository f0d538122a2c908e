"""``netmap import`` through its real entry point: the dry run field by field, empty cells,
conflicts with edits made in the app, ties named by name and city, and the errors."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netmap.cli import app
from netmap.cli.base import out
from netmap.model import RecordKind
from netmap.store import SQLiteStore

runner = CliRunner()
SHEET = (
    "id,name,sector,country,city,phone,email,last_verified\n"
    "gr-arsis,ARSIS,civil_society,GR,Thessaloniki,,,\n"
    "bg-plovdiv-police,Regional Police Plovdiv,police,BG,Plovdiv,+359 32 123456,,\n"
)
SAVED = datetime(2025, 1, 10, 9, 0, tzinfo=UTC).timestamp()


def netmap(store: SQLiteStore, *args: str):
    return runner.invoke(app, ["--store", store.url, *args])


@pytest.fixture(autouse=True)
def wide_terminal():
    """A terminal wide enough for the table's rows to stay on one line each."""
    width = out._width
    out.width = 200
    yield
    out._width = width


def sheet(folder: Path, text: str = SHEET, table: str = "institutions") -> Path:
    """A folder holding one CSV table, saved on 10 January 2025."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{table}.csv"
    path.write_text(text, encoding="utf-8")
    os.utime(path, (SAVED, SAVED))
    return folder


@pytest.fixture
def store(tmp_path) -> SQLiteStore:
    return SQLiteStore(tmp_path / "cli.db", actor="eleni")


def edit_in_the_app(store: SQLiteStore) -> None:
    """What an editor does on the Edit page: read a record, save it at its version."""
    arsis = store.get(RecordKind.INSTITUTION, "gr-arsis")
    store.update(
        arsis.model_copy(
            update={
                "phone": "+30 2310 526150",
                "email": "info@arsis.gr",
                "last_verified": "2026-03",
            }
        )
    )
    police = store.get(RecordKind.INSTITUTION, "bg-plovdiv-police")
    store.update(police.model_copy(update={"phone": "+359 32 999999"}))


def errors(result) -> list[str]:
    """The lines of stderr that are not warnings (rows not saying how they are known)."""
    return [
        line for line in result.stderr.splitlines() if line and not line.startswith("warning: ")
    ]


def table_rows(output: str) -> list[list[str]]:
    """The rows of the field-by-field table, as lists of cells."""
    body = output.split("What the import would change", 1)[1].split("\n\n")[0]
    return [
        [cell.strip() for cell in line.split("│")]
        for line in body.splitlines()
        if "│" in line and "━" not in line
    ]


def test_the_old_sheet_after_an_edit_in_the_app_blanks_nothing_and_names_the_conflict(
    store, tmp_path
):
    folder = sheet(tmp_path / "commission")
    assert netmap(store, "import", str(folder)).exit_code == 0
    edit_in_the_app(store)

    dry = netmap(store, "import", "--dry-run", str(folder))
    assert dry.exit_code == 0, dry.output
    assert table_rows(dry.output) == [
        ["institutions", "ARSIS (gr-arsis)", "email", "info@arsis.gr", "", "info@arsis.gr",
         "kept: the cell is empty"],
        ["institutions", "ARSIS (gr-arsis)", "phone", "+30 2310 526150", "", "+30 2310 526150",
         "kept: the cell is empty"],
        ["institutions", "ARSIS (gr-arsis)", "last_verified", "2026-03", "", "2026-03",
         "kept: the cell is empty"],
        ["institutions", "Regional Police Plovdiv (bg-plovdiv-police)", "phone",
         "+359 32 999999", "+359 32 123456", "+359 32 999999",
         "conflict: the store's value is kept"],
    ]  # fmt: skip
    assert re.search(
        r"1 conflict: a value changed in the store after the file's date is kept as it is "
        r"\(--overwrite-conflicts takes the file's value instead\):\n"
        r"  institutions\.csv:3: phone: changed in the store by eleni on \S+ \S+ UTC, after "
        r"the file's date, 2025-01-10 09:00 UTC\n",
        dry.output,
    ), dry.output
    assert "3 empty cells keep the stored values (--clear-empty empties them instead)." in (
        dry.output
    )
    assert dry.output.rstrip().endswith("Dry run: nothing was written.")

    again = netmap(store, "import", str(folder))
    assert again.exit_code == 0
    assert "Nothing changed: every value that differs was kept (see above)." in again.output
    arsis = store.get(RecordKind.INSTITUTION, "gr-arsis")
    assert (arsis.phone, arsis.email, arsis.last_verified) == (
        "+30 2310 526150", "info@arsis.gr", "2026-03",
    )  # fmt: skip
    assert store.get(RecordKind.INSTITUTION, "bg-plovdiv-police").phone == "+359 32 999999"


def test_overwrite_conflicts_and_clear_empty_do_what_they_say(store, tmp_path):
    folder = sheet(tmp_path / "commission")
    netmap(store, "import", str(folder))
    edit_in_the_app(store)
    result = netmap(store, "import", "--overwrite-conflicts", "--clear-empty", str(folder))
    assert result.exit_code == 0, result.output
    assert "4 conflicts: values changed in the store after the file's date are overwritten" in (
        result.output
    )
    arsis = store.get(RecordKind.INSTITUTION, "gr-arsis")
    assert (arsis.phone, arsis.email, arsis.last_verified) == (None, None, None)
    assert store.get(RecordKind.INSTITUTION, "bg-plovdiv-police").phone == "+359 32 123456"


def test_json_gives_every_field_with_its_values_and_outcome(store, tmp_path):
    folder = sheet(tmp_path / "commission")
    netmap(store, "import", str(folder))
    edit_in_the_app(store)
    result = netmap(store, "import", "--dry-run", "--json", str(folder))
    assert result.exit_code == 0
    plan = json.loads(result.stdout)
    assert plan["counts"] == {
        "new": 0, "changed": 0, "emptied": 0, "kept": 3, "conflict": 1, "overwritten": 0,
    }  # fmt: skip
    conflict = next(c for c in plan["changes"] if c["outcome"] == "conflict")
    assert {k: conflict[k] for k in ("table", "id", "field", "before", "in_file", "after")} == {
        "table": "institutions",
        "id": "bg-plovdiv-police",
        "field": "phone",
        "before": "+359 32 999999",
        "in_file": "+359 32 123456",
        "after": "+359 32 999999",
    }
    assert (conflict["file"], conflict["row"]) == ("institutions.csv", 3)
    assert plan["written"] is False and plan["file"] == "commission"
    assert store.revision() == json.loads(result.stdout)["revision"]


def test_ties_named_by_name_and_city_are_imported(store, tmp_path):
    netmap(store, "import", str(sheet(tmp_path / "commission")))
    ties = (
        "source_name,source_city,target_name,target_city,kind,since\n"
        "ARSIS,Thessaloniki,Regional Police Plovdiv,Plovdiv,referral,2024\n"
    )
    result = netmap(store, "import", str(sheet(tmp_path / "ties", ties, "ties")))
    assert result.exit_code == 0, result.output
    (tie,) = store.list(RecordKind.TIE)
    assert (tie.source_id, tie.target_id, tie.since) == ("gr-arsis", "bg-plovdiv-police", "2024")


def test_an_unknown_name_and_a_mistyped_id_are_named_with_a_did_you_mean(store, tmp_path):
    netmap(store, "import", str(sheet(tmp_path / "commission")))
    ties = (
        "source_id,target_name,target_city,kind\n"
        "gr-arsys,Regional Police Plovdiv,Plovdiv,referral\n"
        "gr-arsis,Regional Polce Plovdiv,Plovdiv,referral\n"
    )
    result = netmap(store, "import", str(sheet(tmp_path / "ties", ties, "ties")))
    assert result.exit_code == 1
    assert errors(result) == [
        (
            "ties.csv:2: source_id: no institution with id 'gr-arsys' in this import or in the "
            "store; did you mean 'gr-arsis'?"
        ),
        (
            "ties.csv:3: target_name: unknown institution 'Regional Polce Plovdiv' in Plovdiv; did "
            "you mean 'Regional Police Plovdiv'? (in Plovdiv: Regional Police Plovdiv)"
        ),
        "2 errors: nothing was written.",
    ]
    assert store.counts()[RecordKind.TIE] == 0


def test_a_tie_to_a_row_that_failed_says_so_instead_of_repeating_why(store, tmp_path):
    folder = sheet(tmp_path / "network", SHEET.replace("police,BG", "polce,BG"))
    ties = "source_id,target_id,kind\ngr-arsis,bg-plovdiv-police,referral\n"
    (folder / "ties.csv").write_text(ties, encoding="utf-8")
    result = netmap(store, "import", str(folder))
    assert result.exit_code == 1
    lines = errors(result)
    assert lines[0].startswith("institutions.csv:3: sector: unknown sector 'polce'")
    assert lines[1:] == [
        (
            "ties.csv:2: target_id: institution 'bg-plovdiv-police' is not imported because "
            "institutions.csv row 3 failed"
        ),
        "2 errors: nothing was written.",
    ]


def test_the_dry_run_reads_in_the_users_language(store, tmp_path):
    """A commission in Plovdiv reads the plan, the conflict and the kept cells in
    Bulgarian; the file, row and field it names stay as they are written."""
    folder = sheet(tmp_path / "commission")
    assert netmap(store, "import", str(folder)).exit_code == 0
    edit_in_the_app(store)

    dry = netmap(store, "--lang", "bg", "import", "--dry-run", str(folder))
    assert dry.exit_code == 0, dry.output
    assert "Какво би променил импортът" in dry.output
    assert "1 конфликт: стойност, променена в хранилището след датата на файла" in dry.output
    assert "institutions.csv:3: phone:" in dry.output
    assert "3 празни клетки запазват съхранените стойности" in dry.output
    assert "Пробно изпълнение: нищо не е записано." in dry.output
    for english in ("What the import", "conflict:", "empty cells", "Dry run"):
        assert english not in dry.output
