"""Importing spreadsheets: every mistake named, nothing written unless all of it is right."""

from __future__ import annotations

import hashlib
import io
import math
import shutil
import sqlite3
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from netmap.errors import NetmapError, ValidationFailed
from netmap.io import import_into, importer, read_source
from netmap.io.workers import run_in_workers
from netmap.model import RecordKind
from netmap.resources import data_file
from netmap.store import SQLiteStore
from netmap.store import sqlite as sqlite_store

INSTITUTIONS = """id,name,name_local,sector,kind,country,city,languages
gr-arsis,ARSIS,ΑΡΣΙΣ,civil_society,ngo,GR,Thessaloniki,el;en
bg-plovdiv-police,Regional Police Directorate Plovdiv,ОДМВР Пловдив,police,government,BG,Plovdiv,bg
"""
TIES = """id,source_id,target_id,kind,strength,since
t-1,gr-arsis,bg-plovdiv-police,referral,3,2024-01-01
"""
CITIES = """name,name_local,country,lat,lon
Thessaloniki,Θεσσαλονίκη,GR,40.6401,22.9444
Plovdiv,Пловдив,BG,42.1354,24.7453
"""


def write_tables(folder: Path, encoding: str = "utf-8", **tables: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (folder / f"{name}.csv").write_bytes(text.encode(encoding))
    return folder


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(tmp_path) -> SQLiteStore:
    return SQLiteStore(tmp_path / "store.db", actor="importer")


def test_a_good_folder_is_imported_whole(store, tmp_path):
    folder = write_tables(tmp_path / "net", institutions=INSTITUTIONS, ties=TIES, cities=CITIES)
    report = import_into(store, folder)
    assert report.written
    assert store.counts()[RecordKind.INSTITUTION] == 2
    assert store.get(RecordKind.TIE, "t-1").strength == 3
    assert store.get(RecordKind.INSTITUTION, "bg-plovdiv-police").name_local == "ОДМВР Пловдив"


def test_every_mistake_is_named_with_file_row_and_field_and_nothing_is_written(store, tmp_path):
    import_into(store, write_tables(tmp_path / "first", institutions=INSTITUTIONS, cities=CITIES))
    store_file = Path(store.path)
    before = file_hash(store_file)
    bad = write_tables(
        tmp_path / "bad",
        institutions=INSTITUTIONS
        + "rs-nis-x,Centre,,socal_services,ngo,RS,Niš,sr\n"
        + "gr-y,,,police,government,Greece,Athens,el\n",
        ties=TIES + "t-2,gr-arsis,nowhere,referral,,\nt-3,gr-arsis,gr-arsis,meeting,5,\n",
    )
    with pytest.raises(ValidationFailed) as failed:
        import_into(store, bad)
    lines = [str(p) for p in failed.value.problems]
    assert any(
        line.startswith("institutions.csv:4: sector: unknown sector 'socal_services'")
        for line in lines
    )
    assert "institutions.csv:5: name: required, but empty" in lines
    assert any(line.startswith("institutions.csv:5: country:") for line in lines)
    assert any(
        line.startswith("ties.csv:3: target_id: no institution with id 'nowhere'") for line in lines
    )
    assert any(line.startswith("ties.csv:4: strength:") for line in lines)
    assert any(line.startswith("ties.csv:4: target_id:") for line in lines)
    assert file_hash(store_file) == before


def test_a_bad_last_row_leaves_the_database_file_unchanged(store, tmp_path):
    import_into(store, write_tables(tmp_path / "ok", institutions=INSTITUTIONS))
    before = file_hash(Path(store.path))
    rows = "".join(f"gr-n{i},NGO {i},,civil_society,ngo,GR,,el\n" for i in range(200))
    bad = write_tables(
        tmp_path / "bad", institutions=INSTITUTIONS + rows + "gr-last,Last,,nope,ngo,GR,,el\n"
    )
    with pytest.raises(ValidationFailed) as failed:
        import_into(store, bad)
    assert [str(p).split(":")[:3] for p in failed.value.problems] == [
        ["institutions.csv", "204", " sector"]
    ]
    assert file_hash(Path(store.path)) == before
    assert store.counts()[RecordKind.INSTITUTION] == 2


def test_a_missing_required_column_is_reported_once(store, tmp_path):
    folder = write_tables(tmp_path / "net", institutions="id,name,country\nx,X,GR\n")
    report = read_source(folder, store)
    assert [str(p) for p in report.errors] == [
        "institutions.csv:1: sector: the required column is missing"
    ]


def test_a_reference_may_point_to_a_record_already_in_the_store(store, tmp_path):
    import_into(store, write_tables(tmp_path / "one", institutions=INSTITUTIONS))
    report = import_into(store, write_tables(tmp_path / "two", ties=TIES))
    assert report.plan.new[RecordKind.TIE] == ["t-1"]


def test_a_repeated_id_names_both_rows(store, tmp_path):
    folder = write_tables(
        tmp_path / "net", institutions=INSTITUTIONS + "gr-arsis,ARSIS again,,police,,GR,,\n"
    )
    report = read_source(folder, store)
    assert "institutions.csv:4: id: 'gr-arsis' is also on row 2" in [str(p) for p in report.errors]


def test_reimporting_the_same_file_changes_nothing(store, tmp_path):
    folder = write_tables(tmp_path / "net", institutions=INSTITUTIONS, ties=TIES, cities=CITIES)
    import_into(store, folder)
    revision = store.revision()
    before = file_hash(Path(store.path))
    report = import_into(store, folder)
    assert report.plan.changes == 0
    assert store.revision() == revision
    assert file_hash(Path(store.path)) == before


def test_a_dry_run_reports_the_changes_and_writes_nothing(store, tmp_path):
    import_into(store, write_tables(tmp_path / "one", institutions=INSTITUTIONS))
    before = file_hash(Path(store.path))
    changed = INSTITUTIONS.replace("ARSIS,ΑΡΣΙΣ", "ARSIS Thessaloniki,ΑΡΣΙΣ")
    folder = write_tables(tmp_path / "two", institutions=changed, ties=TIES)
    report = import_into(store, folder, dry_run=True)
    assert report.plan.updated[RecordKind.INSTITUTION] == ["gr-arsis"]
    assert report.plan.unchanged[RecordKind.INSTITUTION] == ["bg-plovdiv-police"]
    assert report.plan.new[RecordKind.TIE] == ["t-1"]
    assert not report.written
    assert file_hash(Path(store.path)) == before


@pytest.mark.parametrize(
    ("encoding", "text", "name"),
    [
        (
            "cp1253",
            "id,name,sector,country\ngr-1,Κέντρο Θεσσαλονίκης,social_services,GR\n",
            "Κέντρο Θεσσαλονίκης",
        ),
        (
            "cp1251",
            "id,name,sector,country\nbg-1,Местна комисия Пловдив,local_government,BG\n",
            "Местна комисия Пловдив",
        ),
        (
            "cp1250",
            "id,name,sector,country\nrs-1,Centar za socijalni rad Niš,social_services,RS\n",
            "Centar za socijalni rad Niš",
        ),
    ],
)
def test_legacy_windows_code_pages_are_detected_and_named(store, tmp_path, encoding, text, name):
    folder = write_tables(tmp_path / "net", encoding=encoding, institutions=text * 1)
    report = import_into(store, folder)
    assert store.list(RecordKind.INSTITUTION)[0].name == name
    assert report.notices and "not UTF-8" in report.notices[0]


def test_utf8_with_bom_and_semicolons_as_excel_saves_them(store, tmp_path):
    text = "\ufeffID ; Name* ;Sector;Country\nrs-nis-csw;Центар за социјални рад „Свети Сава“ Ниш;social_services;RS\n"
    folder = write_tables(tmp_path / "net", institutions=text)
    import_into(store, folder)
    record = store.get(RecordKind.INSTITUTION, "rs-nis-csw")
    assert record.name == "Центар за социјални рад „Свети Сава“ Ниш"


def test_unknown_columns_are_kept_in_notes_and_reported(store, tmp_path):
    folder = write_tables(
        tmp_path / "net", institutions="id,name,sector,country,Director\nx,X,police,GR,K. Papas\n"
    )
    report = import_into(store, folder)
    assert any(
        "director: not a column of the institutions table" in str(w) for w in report.warnings
    )
    assert store.get(RecordKind.INSTITUTION, "x").notes == "director: K. Papas"


def test_rows_without_ids_get_stable_ones(store, tmp_path):
    folder = write_tables(
        tmp_path / "net",
        institutions="name,sector,country,city\nΑΡΣΙΣ,civil_society,GR,Θεσσαλονίκη\n",
    )
    import_into(store, folder)
    import_into(store, folder)
    assert [r.id for r in store.list(RecordKind.INSTITUTION)] == ["gr-thessaloniki-arsis"]


def test_look_alike_names_in_the_same_city_are_flagged_not_merged(store, tmp_path):
    rows = "id,name,sector,country,city\na,Maria Shelter,civil_society,GR,Athens\n"
    rows += "b,\u041caria Shelter,civil_society,GR,Athens\n"  # Cyrillic М
    report = import_into(store, write_tables(tmp_path / "net", institutions=rows))
    assert any("looks like 'a'" in str(w) for w in report.warnings)
    assert store.counts()[RecordKind.INSTITUTION] == 2


def test_a_city_missing_from_the_cities_table_is_a_warning(store, tmp_path):
    report = import_into(store, write_tables(tmp_path / "net", institutions=INSTITUTIONS))
    assert any("'Thessaloniki' (GR) is not in the cities table" in str(w) for w in report.warnings)


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_workbook_with_date_cells_and_numbers_is_read(store, tmp_path):
    data = xlsx_bytes(
        {
            "Institutions": [
                ["id", "name", "sector", "country", "last_verified"],
                ["gr-1", "EKKA", "national_coordination", "GR", datetime(2026, 3, 31)],
            ],
            "cities": [["name", "country", "lat", "lon"], ["Athens", "GR", 37.98, 23.73]],
            "Notes for us": [["anything"]],
        }
    )
    path = tmp_path / "network.xlsx"
    path.write_bytes(data)
    report = import_into(store, path)
    assert store.get(RecordKind.INSTITUTION, "gr-1").last_verified == "2026-03-31"
    assert store.list(RecordKind.CITY)[0].lat == pytest.approx(37.98)
    assert any("Notes for us" in str(w) for w in report.warnings)


def test_a_workbook_error_names_the_sheet_and_row(store, tmp_path):
    path = tmp_path / "network.xlsx"
    path.write_bytes(
        xlsx_bytes({"institutions": [["name", "sector", "country"], ["X", "police", "ZZ"]]})
    )
    with pytest.raises(ValidationFailed) as failed:
        import_into(store, path)
    assert str(failed.value.problems[0]).startswith("network.xlsx[institutions]:2: country:")


def test_an_uploaded_zip_is_read_by_table_names_only(store):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../etc/institutions.csv", INSTITUTIONS)
        archive.writestr("export/cities.csv", CITIES)
    report = import_into(store, ("upload.zip", buffer.getvalue()))
    assert report.written
    assert store.counts()[RecordKind.INSTITUTION] == 2


def test_a_zip_bomb_is_refused_before_reading(store):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("institutions.csv", "id,name\n" + "0" * 50_000_000)
    report = read_source(("bomb.zip", buffer.getvalue()), store)
    assert "possible zip bomb" in str(report.errors[0])


def test_a_file_that_is_not_a_table_is_explained(store, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    report = read_source(path, store)
    assert "give an .xlsx workbook" in str(report.errors[0])
    assert "no such file" in str(read_source(tmp_path / "missing", store).errors[0])


def test_worker_processes_report_exactly_what_one_process_does(tmp_path, monkeypatch):
    folder = tmp_path / "demo"
    shutil.copytree(data_file("demo"), folder)
    with (folder / "ties.csv").open("a", encoding="utf-8") as ties:
        ties.write(
            "t-0001,gr-thessaloniki-arsis,gr-athens-ekka,protocol,no,3,,,,repeated id,x,\n"
            "t-bad-1,gr-thessaloniki-arsis,nowhere,referral,maybe,7,2024-13-01,,,,x,\n"
            "t-bad-2,gr-thessaloniki-arsis,gr-athens-ekka,gossip,,,2020,2019,,,x,\n"
        )
    alone = read_source(folder, None)
    assert len(alone.errors) >= 6

    started = []
    run_in_workers = importer.run_in_workers
    monkeypatch.setattr(importer, "_PARALLEL_ROWS", 0)
    monkeypatch.setattr(importer, "_TASK_ROWS", 40)  # many tasks, so ids repeat across them
    monkeypatch.setattr(importer, "worker_count", lambda: 2)
    monkeypatch.setattr(
        importer,
        "run_in_workers",
        lambda *args, **kwargs: started.append(args) or run_in_workers(*args, **kwargs),
    )
    heard = []
    spread = read_source(folder, None, lambda done, total: heard.append((done, total)))

    assert started, "the workers were not used"
    assert len(heard) == len(started[0][1]) > 2
    assert heard[-1][0] == heard[-1][1] == sum(len(t.table) for t in started[0][1])
    assert spread.errors == alone.errors
    assert spread.warnings == alone.warnings
    for kind in RecordKind:
        assert [r.data() for r in spread.batch.records[kind]] == [
            r.data() for r in alone.batch.records[kind]
        ]


def test_a_failing_worker_is_one_clear_error():
    with pytest.raises(NetmapError, match="a worker process failed: ValueError: math domain"):
        run_in_workers(math.sqrt, [4.0, -1.0, 9.0], 2)
    assert run_in_workers(math.sqrt, [4.0, 9.0, 16.0], 2) == [2.0, 3.0, 4.0]


def test_a_bulk_import_builds_the_indexes_again(store, monkeypatch):
    monkeypatch.setattr(sqlite_store, "_BULK_ROWS", 1)  # the demo counts as a bulk import
    import_into(store, data_file("demo"))
    with sqlite3.connect(store.path) as connection:
        indexes = {
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='index'")
        }
        plan = connection.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM ties WHERE source_id = 'gr-thessaloniki-arsis'"
        ).fetchall()
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    assert {name for name, _, _ in sqlite_store._INDEXES} <= indexes
    assert "ties_source" in str(plan)
    assert integrity == "ok"
    assert store.counts()[RecordKind.TIE] == 30


def test_rows_that_do_not_say_how_they_are_known_import_as_reported_with_one_warning(
    store, tmp_path
):
    folder = write_tables(tmp_path / "net", institutions=INSTITUTIONS, ties=TIES, cities=CITIES)
    report = import_into(store, folder)
    evidence = [str(w) for w in report.warnings if w.field == "evidence"]
    assert (
        "institutions.csv:1: evidence: no row says how it is known: all 2 taken as reported"
        in (evidence[1].split(" (")[0])
    )
    assert len(evidence) == 3  # one per table, not one per row
    assert store.get(RecordKind.TIE, "t-1").evidence == "reported"


def test_a_documented_row_without_its_quote_is_refused_naming_the_row(store, tmp_path):
    ties = (
        "id,source_id,target_id,kind,source,evidence,quote\n"
        "t-1,gr-arsis,bg-plovdiv-police,referral,report-2024,documented,«they refer cases»\n"
        "t-2,bg-plovdiv-police,gr-arsis,referral,report-2024,documented,\n"
        "t-3,bg-plovdiv-police,gr-arsis,meeting,,inferred,\n"
    )
    folder = write_tables(tmp_path / "net", institutions=INSTITUTIONS, ties=ties, cities=CITIES)
    with pytest.raises(ValidationFailed) as failed:
        import_into(store, folder)
    assert [str(p) for p in failed.value.problems] == [
        "ties.csv:3: quote: a documented record keeps the source's words (the quote)",
        "ties.csv:4: inferred_from: an inferred record says what it is inferred from",
    ]
    assert store.counts()[RecordKind.TIE] == 0


def test_evidence_and_sources_round_trip_through_the_table_format(store, tmp_path):
    sources = (
        "id,title,countries,cities,covers,sectors,complete\n"
        "seminar,Regional seminar,BG,Plovdiv,participants;ties,police;prosecution,no\n"
    )
    ties = (
        "id,source_id,target_id,kind,source,evidence,quote,quote_location\n"
        't-1,gr-arsis,bg-plovdiv-police,meeting,seminar,documented,"«взеха участие» …",¶ 4\n'
    )
    folder = write_tables(
        tmp_path / "net", sources=sources, institutions=INSTITUTIONS, ties=ties, cities=CITIES
    )
    import_into(store, folder)
    source = store.get(RecordKind.SOURCE, "seminar")
    assert (source.covers, source.sectors, source.complete) == (
        ["participants", "ties"], ["police", "prosecution"], [],
    )  # fmt: skip
    tie = store.get(RecordKind.TIE, "t-1")
    assert (tie.evidence, tie.quote, tie.quote_location) == (
        "documented",
        "«взеха участие» …",
        "¶ 4",
    )


def test_a_store_made_before_evidence_was_kept_is_brought_up_to_date(tmp_path):
    """A schema-2 store (no sources table, no evidence columns) opens with its records
    taken as reported, and nothing lost."""
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as connection:
        connection.executescript(
            """
            CREATE TABLE institutions (id TEXT PRIMARY KEY, name TEXT, name_local TEXT,
              acronym TEXT, sector TEXT, kind TEXT, level TEXT, country TEXT, city TEXT,
              services TEXT, languages TEXT, target_groups TEXT, website TEXT, email TEXT,
              phone TEXT, address TEXT, notes TEXT, source TEXT, last_verified TEXT,
              updated_at TEXT, version INTEGER);
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            INSERT INTO meta VALUES ('revision', '4');
            INSERT INTO institutions (id, name, sector, country, services, languages,
              target_groups, version)
              VALUES ('gr-arsis', 'ARSIS', 'civil_society', 'GR', '[]', '["el"]', '[]', 3);
            PRAGMA user_version = 2;
            """
        )
    store = SQLiteStore(path)
    arsis = store.get(RecordKind.INSTITUTION, "gr-arsis")
    assert (arsis.name, arsis.version, arsis.evidence, arsis.collective) == (
        "ARSIS", 3, "reported", False,
    )  # fmt: skip
    assert store.counts()[RecordKind.SOURCE] == 0
    assert store.revision() == 4
