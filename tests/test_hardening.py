"""Hostile input: fuzzed files give validation errors only, and payloads are stored as text."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from netmap.errors import ValidationFailed
from netmap.io import import_into, read_source
from netmap.model import RECORD_KINDS, City, Contact, Initiative, Institution, RecordKind, Tie
from netmap.store import SQLiteStore
from netmap.store.base import RecordSet

PAYLOADS = [
    "Robby' WITH true AS x MATCH (n) DETACH DELETE n //",
    "'; DROP TABLE institutions; --",
    '" OR 1=1 --',
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">href</a>',
    "{{7*7}} ${7*7} {% raw %}",
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\u202egnp.exe",
    "Ζήτω Ελλάς; Ћирилица; Łódź; עברית",
    "x" * 5000,
]

fuzz = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def file_hash(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(tmp_path) -> SQLiteStore:
    return SQLiteStore(tmp_path / "fuzz.db")


def only_clean_failures(store, name: str, data: bytes) -> None:
    before = file_hash(store.path)
    try:
        import_into(store, (name, data))
    except ValidationFailed as failed:
        assert failed.problems
        assert all(str(problem) for problem in failed.problems)
        assert file_hash(store.path) == before


csv_cells = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12)


@fuzz
@given(
    table=st.sampled_from([kind.value for kind in RECORD_KINDS]),
    header=st.lists(
        st.sampled_from(
            [
                "id",
                "name",
                "sector",
                "country",
                "kind",
                "source_id",
                "target_id",
                "lat",
                "lon",
                "role",
                "x",
                "",
                "name*",
            ]
        ),
        max_size=8,
    ),
    rows=st.lists(st.lists(csv_cells, max_size=8), max_size=6),
    separator=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1251", "cp1253", "latin-1"]),
)
def test_fuzzed_csv_tables_give_only_validation_errors(
    store, table, header, rows, separator, encoding
):
    text = "\n".join(separator.join(row) for row in [header, *rows])
    data = text.encode(encoding, errors="replace")
    only_clean_failures(store, f"{table}.csv", data)


@fuzz
@given(data=st.binary(max_size=400), name=st.sampled_from(["x.xlsx", "x.zip", "ties.csv"]))
def test_random_bytes_give_only_validation_errors(store, data, name):
    only_clean_failures(store, name, data)


cell_values = st.one_of(
    st.none(),
    csv_cells,
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True),
    st.booleans(),
    st.dates(date(1900, 1, 1), date(2100, 1, 1)),
    st.datetimes(datetime(1900, 1, 1), datetime(2100, 1, 1)),
)


@fuzz
@given(
    sheet=st.sampled_from(["institutions", "ties", "cities", "contacts", "Sheet1"]),
    rows=st.lists(st.lists(cell_values, min_size=1, max_size=6), max_size=6),
)
def test_fuzzed_workbooks_give_only_validation_errors(store, sheet, rows):
    workbook = openpyxl.Workbook()
    workbook.active.title = sheet
    workbook.active.append(["id", "name", "sector", "country", "lat", "lon"])
    try:
        for row in rows:
            workbook.active.append(row)
    except IllegalCharacterError:  # no workbook can hold these: nothing for netmap to read
        assume(False)
    buffer = io.BytesIO()
    workbook.save(buffer)
    only_clean_failures(store, "fuzzed.xlsx", buffer.getvalue())


def test_a_workbook_with_a_formula_is_read_without_running_it(store):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "institutions"
    sheet.append(["id", "name", "sector", "country"])
    sheet.append(["gr-x", '=WEBSERVICE("http://evil.example")', "police", "GR"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = read_source(("f.xlsx", buffer.getvalue()), store)
    # A formula cell that no spreadsheet has computed has no value: netmap never evaluates it.
    assert [str(p) for p in report.errors] == ["f.xlsx[institutions]:2: name: required, but empty"]


def test_a_zip_with_too_many_entries_is_refused(store):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(10_001):
            archive.writestr(f"f{number}.txt", "")
    report = read_source(("many.zip", buffer.getvalue()), store)
    assert "more than 10000 entries" in str(report.errors[0])


def records_carrying(payload: str, number: int) -> list:
    """One record of each kind with ``payload`` in every free-text field."""
    suffix = f"p{number}"
    return [
        City(
            name=f"{payload[:250]} {suffix}", name_local=payload[:300], country="GR", source=payload
        ),
        Institution(
            id=f"i-{suffix}",
            name=payload[:300],
            name_local=payload[:300],
            acronym=payload[:300],
            sector="civil_society",
            country="GR",
            city=payload[:300],
            address=payload,
            notes=payload,
            source=payload,
        ),
        Institution(id=f"j-{suffix}", name="Partner", sector="police", country="BG"),
        Initiative(id=f"n-{suffix}", name=payload[:300], funder=payload, source=payload),
        Contact(
            id=f"c-{suffix}",
            institution_id=f"i-{suffix}",
            name=payload[:300],
            role=payload,
            verified_by=payload[:300],
            source=payload,
        ),
        Tie(
            id=f"t-{suffix}",
            source_id=f"i-{suffix}",
            target_id=f"j-{suffix}",
            kind="meeting",
            initiative_id=f"n-{suffix}",
            notes=payload,
            source=payload,
        ),
    ]


def test_payloads_in_every_text_field_are_stored_as_text_on_every_backend(empty_store):
    for number, payload in enumerate(PAYLOADS):
        batch = RecordSet()
        records = records_carrying(payload, number)
        for record in records:
            batch.add(record)
        empty_store.write(batch)
        for record in records:
            assert empty_store.get(record.record_kind, record.id).data() == record.data()
    counts = empty_store.counts()
    assert counts[RecordKind.INSTITUTION] == 2 * len(PAYLOADS)
    assert counts[RecordKind.TIE] == len(PAYLOADS)
    assert counts[RecordKind.CONTACT] == len(PAYLOADS)


def test_a_yes_no_cell_where_a_name_belongs_is_a_validation_error(store):
    workbook = openpyxl.Workbook()
    workbook.active.title = "institutions"
    workbook.active.append(["id", "name", "sector", "country"])
    workbook.active.append([None, True, "police", "GR"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = read_source(("f.xlsx", buffer.getvalue()), store)
    assert [p.field for p in report.errors] == ["name"]
