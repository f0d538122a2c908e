"""Damaged spreadsheets: a broken ``workbook.xml`` or a zip member with a bad CRC is one
clear error naming the file, never a traceback, and the store is left as it was."""

from __future__ import annotations

import hashlib
import io
import zipfile

import openpyxl
import pytest
from typer.testing import CliRunner

from netmap.cli import app
from netmap.io import read_source
from netmap.store import SQLiteStore


def workbook_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.title = "institutions"
    workbook.active.append(["id", "name", "sector", "country"])
    workbook.active.append(["gr-athens-new", "A new institution", "police", "GR"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rezipped(data: bytes, change=None) -> bytes:
    """``data`` (a zip) written again uncompressed, each member passed through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for entry in source.infolist():
            content = source.read(entry)
            if change is not None:
                content = change(entry.filename, content)
            archive.writestr(entry.filename, content)
    return out.getvalue()


def flip_inside(data: bytes, marker: bytes) -> bytes:
    """Change one byte of a stored member's content, leaving its recorded CRC as it was."""
    raw = bytearray(data)
    position = raw.index(marker)
    raw[position] ^= 0x20
    return bytes(raw)


def broken_workbook_xml() -> bytes:
    return rezipped(
        workbook_bytes(),
        lambda name, content: (
            content[: len(content) // 2] if name == "xl/workbook.xml" else content
        ),
    )


def bad_crc_workbook() -> bytes:
    return flip_inside(rezipped(workbook_bytes()), b"<sheetData>")


def bad_crc_zip_of_csv() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(
            "institutions.csv", "id,name,sector,country\ngr-athens-new,New,police,GR\n"
        )
    return flip_inside(out.getvalue(), b"gr-athens-new")


DAMAGED = {
    "broken.xlsx": (broken_workbook_xml, "broken.xlsx"),
    "crc.xlsx": (bad_crc_workbook, "crc.xlsx"),
    "crc.zip": (bad_crc_zip_of_csv, "crc.zip/institutions.csv"),
}


@pytest.mark.parametrize("name", list(DAMAGED))
def test_a_damaged_file_is_one_problem_naming_it(name):
    make, file = DAMAGED[name]
    report = read_source((name, make()), None)
    assert [p.file for p in report.errors] == [file]
    assert "the file is damaged and cannot be read" in report.errors[0].message
    assert len(report.batch) == 0


@pytest.mark.parametrize("name", list(DAMAGED))
def test_importing_a_damaged_file_is_one_line_and_changes_nothing(demo_store, tmp_path, name):
    make, file = DAMAGED[name]
    path = tmp_path / name
    path.write_bytes(make())
    before = hashlib.sha256(SQLiteStore(demo_store.path).path.read_bytes()).hexdigest()
    result = CliRunner().invoke(app, ["--store", demo_store.url, "import", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "1 error: nothing was written."
    assert lines[-2].startswith(f"{file}: the file is damaged")
    assert hashlib.sha256(demo_store.path.read_bytes()).hexdigest() == before
