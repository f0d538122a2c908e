"""The Data page's import, driven by AppTest: the dry run field by field, the choices to
empty and to overwrite, a conflict with an edit made in the app, and the page after an
import."""

from __future__ import annotations

import pytest
from app_fixtures import assert_clean, frames, page_test, texts

from netmap.model import RecordKind
from netmap.store import SQLiteStore

SHEET = (
    "id,name,sector,country,city,phone,email,last_verified\n"
    "gr-arsis,ARSIS,civil_society,GR,Thessaloniki,,,\n"
    "bg-plovdiv-police,Regional Police Plovdiv,police,BG,Plovdiv,+359 32 123456,,\n"
)


@pytest.fixture
def store(tmp_path, monkeypatch) -> SQLiteStore:
    """A new store the app is pointed at, as its admin."""
    store = SQLiteStore(tmp_path / "app.db", actor="eleni")
    monkeypatch.setenv("NETMAP_STORE", store.url)
    monkeypatch.delenv("NETMAP_ROLE", raising=False)
    return store


def upload(at, text: str, name: str = "institutions.csv"):
    at.file_uploader(key="data-upload").set_value((name, text.encode(), "text/csv"))
    return at.run()


def has_button(at, key: str) -> bool:
    return any(button.key == key for button in at.button)


def field_table(at):
    """The dry run's table of fields (the one with a "What happens" column)."""
    return next(frame for frame in frames(at) if "What happens" in frame.columns)


def imported(at, text: str):
    """Upload ``text`` and confirm the import."""
    at = upload(at, text)
    at.button(key="data-confirm").click()
    return at.run()


def test_the_dry_run_shows_each_field_before_and_after_under_human_headers(store):
    imported(page_test("data").run(), SHEET)
    at = upload(page_test("data").run(), SHEET.replace("+359 32 123456", "+359 32 654321"))
    assert_clean(at)
    summary = next(frame for frame in frames(at) if "Changed" in frame.columns)
    assert summary.set_index("Table").loc["Institutions", "Changed"] == 1
    table = field_table(at)
    assert list(table.columns) == [
        "Table", "Record", "Field", "Before", "In the file", "After", "What happens", "Why",
        "Where",
    ]  # fmt: skip
    (row,) = table.to_dict("records")
    assert row == {
        "Table": "Institutions",
        "Record": "Regional Police Plovdiv (bg-plovdiv-police)",
        "Field": "Phone",
        "Before": "+359 32 123456",
        "In the file": "+359 32 654321",
        "After": "+359 32 654321",
        "What happens": "changed",
        "Why": "",
        "Where": "institutions.csv:3",
    }
    assert at.button(key="data-confirm").label == "Import 1 change"
    assert store.get(RecordKind.INSTITUTION, "bg-plovdiv-police").phone == "+359 32 123456"


def test_an_edit_in_the_app_then_the_old_sheet_again_blanks_nothing_and_names_the_conflict(
    store,
):
    imported(page_test("data").run(), SHEET)
    # The app's Edit page saves a record at the version it read, as this does.
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

    at = upload(page_test("data").run(), SHEET)
    assert not at.exception
    rows = {(r["Record"], r["Field"]): r for r in field_table(at).to_dict("records")}
    assert {key: row["What happens"] for key, row in rows.items()} == {
        ("ARSIS (gr-arsis)", "Email"): "kept: the cell is empty",
        ("ARSIS (gr-arsis)", "Phone"): "kept: the cell is empty",
        ("ARSIS (gr-arsis)", "Last verified"): "kept: the cell is empty",
        ("Regional Police Plovdiv (bg-plovdiv-police)", "Phone"): (
            "conflict: the store's value is kept"
        ),
    }
    conflict = rows[("Regional Police Plovdiv (bg-plovdiv-police)", "Phone")]
    assert (conflict["Before"], conflict["In the file"], conflict["After"]) == (
        "+359 32 999999", "+359 32 123456", "+359 32 999999",
    )  # fmt: skip
    assert conflict["Why"].startswith("changed in the store by eleni on ")
    assert "after this file's first import" in conflict["Why"]
    assert any("1 value changed in the store after the file's date" in w.value for w in at.warning)
    assert "Nothing in this file would change the store." in texts(at)
    assert not has_button(at, "data-confirm")

    at.checkbox(key="data-overwrite-conflicts").check()
    at.run()
    assert at.button(key="data-confirm").label == "Import 1 change"
    arsis, police = (
        store.get(RecordKind.INSTITUTION, record_id)
        for record_id in ("gr-arsis", "bg-plovdiv-police")
    )
    assert (arsis.phone, arsis.email, arsis.last_verified, police.phone) == (
        "+30 2310 526150", "info@arsis.gr", "2026-03", "+359 32 999999",
    )  # fmt: skip


def test_empty_cells_empty_stored_values_only_when_the_box_is_ticked(store):
    full = SHEET.replace("Thessaloniki,,,", "Thessaloniki,+30 2310 526150,,")
    imported(page_test("data").run(), full)
    at = upload(page_test("data").run(), SHEET)
    assert [r["What happens"] for r in field_table(at).to_dict("records")] == [
        "kept: the cell is empty"
    ]
    assert not has_button(at, "data-confirm")
    at.checkbox(key="data-clear-empty").check()
    at.run()
    assert [r["What happens"] for r in field_table(at).to_dict("records")] == [
        "emptied: the cell is empty"
    ]
    at.button(key="data-confirm").click()
    at.run()
    assert_clean(at)
    assert store.get(RecordKind.INSTITUTION, "gr-arsis").phone is None


def test_after_an_import_the_page_shows_the_new_state(store):
    at = upload(page_test("data").run(), SHEET)
    assert "0 institutions" in at.caption[0].value
    at.button(key="data-confirm").click()
    at.run()
    assert_clean(at)
    (done,) = at.success
    assert done.value.startswith("Imported 2 changes from institutions")
    assert "2 institutions" in at.caption[0].value  # the counts, read again
    assert not any("What happens" in frame.columns for frame in frames(at))
    assert not has_button(at, "data-confirm")
    # No choice is left to make about a file already imported.
    assert [box.key for box in at.checkbox] == ["data-redact"]  # the export's
    assert store.counts()[RecordKind.INSTITUTION] == 2


def test_an_edit_saved_while_the_dry_run_is_shown_stops_the_import_and_shows_it_anew(store):
    imported(page_test("data").run(), SHEET)
    at = upload(page_test("data").run(), SHEET.replace("Regional Police", "ODMVR"))
    assert at.button(key="data-confirm").label == "Import 1 change"
    police = store.get(RecordKind.INSTITUTION, "bg-plovdiv-police")
    store.update(police.model_copy(update={"name": "Police Directorate Plovdiv"}))
    at.button(key="data-confirm").click()
    at.run()
    assert any("Someone saved a change while you were looking" in w.value for w in at.warning)
    assert store.get(RecordKind.INSTITUTION, "bg-plovdiv-police").name == (
        "Police Directorate Plovdiv"
    )
    (row,) = field_table(at).to_dict("records")
    assert (row["Before"], row["What happens"]) == (
        "Police Directorate Plovdiv",
        "conflict: the store's value is kept",
    )
    assert not has_button(at, "data-confirm")


def test_a_tie_naming_an_ambiguous_institution_is_listed_with_file_row_and_field(store):
    imported(
        page_test("data").run(),
        "id,name,acronym,sector,country,city\n"
        "rs-nis-csr,Centar za socijalni rad Niš,CSR,social_services,RS,Niš\n"
        "rs-kragujevac-csr,Centar za socijalni rad Kragujevac,CSR,social_services,RS,Kragujevac\n",
    )
    at = upload(
        page_test("data").run(),
        "source_name,target_name,target_city,kind\nCSR,CSR,Niš,referral\n",
        name="ties.csv",
    )
    assert at.code[0].value == (
        "ties.csv:2: source_name: 'CSR' names 2 institutions (rs-kragujevac-csr (Kragujevac), "
        "rs-nis-csr (Niš)): add source_city, or write the one you mean in source_id"
    )
    assert not has_button(at, "data-confirm")
