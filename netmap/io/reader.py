"""Reading tables from disk: a folder of CSV files, a zip of them, or an ``.xlsx`` workbook.

The reader only turns files into rows of text cells with their spreadsheet row numbers;
validation is the importer's job. It never evaluates a formula and never trusts a file
to be small: limits on size, rows and (for workbooks) decompressed size come first.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree.ElementTree import ParseError

import pandas as pd
from charset_normalizer import from_bytes

from netmap.errors import Problem, ValidationFailed
from netmap.i18n import gettext
from netmap.io.tables import normalise_header, restore_cell
from netmap.model import RECORD_KINDS, RecordKind

# Limits that keep a mistaken or hostile file from exhausting a laptop.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_ROWS_PER_TABLE = 2_000_000
MAX_XLSX_UNCOMPRESSED = 1024 * 1024 * 1024
MAX_XLSX_RATIO = 200
MAX_ZIP_ENTRIES = 10_000

# Code pages that Greek, Cyrillic and Central European spreadsheets are saved in on
# Windows, tried in this order when a file is not UTF-8.
LEGACY_ENCODINGS = ("cp1253", "cp1251", "cp1250", "cp1252", "iso8859_7", "iso8859_5", "koi8_r")
_ENCODING_NAMES = {
    "cp1253": "Windows-1253 (Greek)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1250": "Windows-1250 (Central European)",
    "cp1252": "Windows-1252 (Western European)",
    "iso8859_7": "ISO-8859-7 (Greek)",
    "iso8859_5": "ISO-8859-5 (Cyrillic)",
    "koi8_r": "KOI8-R (Cyrillic)",
}


@dataclass
class RawTable:
    """One table as read: its label for messages, its header and its rows, by column.

    ``numbers`` are the rows' numbers as a spreadsheet shows them (header = 1);
    ``cells`` holds one list of raw values per column of ``columns`` (normalised names),
    aligned with ``numbers``. By column, a table of a million rows is a few lists rather
    than a million dicts: less memory, and quick to hand to another process.
    ``saved_at`` is when the file says it was saved (see :func:`saved_at`), if it says.
    """

    kind: RecordKind
    file: str
    columns: list[str]
    numbers: list[int]
    cells: list[list[Any]]
    saved_at: str | None = None

    def __len__(self) -> int:
        return len(self.numbers)

    def part(self, start: int, stop: int) -> RawTable:
        """The rows from position ``start`` up to ``stop``."""
        return RawTable(
            self.kind,
            self.file,
            self.columns,
            self.numbers[start:stop],
            [column[start:stop] for column in self.cells],
            self.saved_at,
        )


@dataclass
class RawTables:
    """What was read from one source, with notices (encodings used) and problems.

    ``name`` is the source's name without its folders (``commission.xlsx``), the same
    from the command line as from an upload: the import history knows a file by it.
    ``sha256`` is the hash of what was read (a folder's: of its tables' names and bytes).
    """

    source: str
    tables: dict[RecordKind, RawTable] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    name: str = ""
    sha256: str = ""


def saved_at(*candidates: datetime | float | None) -> str | None:
    """When a file was saved, as an ISO 8601 UTC timestamp to the second: the earliest of
    the ``candidates`` it gives (a workbook's own "last saved", a zip entry's time, the
    file's modification time, as a datetime, naive meaning local time, or a POSIX time).

    The earliest, because a copy, a download or an e-mail attachment gets a new
    modification time, never an older one: the value cells were written no later.
    """
    moments = []
    for candidate in candidates:
        if candidate is None:
            continue
        if isinstance(candidate, datetime):
            moment = candidate if candidate.tzinfo else candidate.astimezone()
        else:
            moment = datetime.fromtimestamp(candidate, UTC)
        moments.append(moment.astimezone(UTC).replace(microsecond=0))
    return min(moments).isoformat() if moments else None


def _table_kind(stem: str) -> RecordKind | None:
    name = stem.strip().casefold()
    for kind in RECORD_KINDS:
        if name == kind.value:
            return kind
    return None


def decode_csv(data: bytes, file: str) -> tuple[str, str | None]:
    """Decode CSV bytes: UTF-8 (with or without BOM), else a detected legacy code page.

    Returns the text and, when it was not UTF-8, the name of the encoding used.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    encoding = best.encoding if best is not None else None
    if encoding is None:
        for candidate in LEGACY_ENCODINGS:
            try:
                return data.decode(candidate), _ENCODING_NAMES[candidate]
            except UnicodeDecodeError:
                continue
        raise ValidationFailed(
            [Problem(file, None, None, gettext("cannot tell the file's encoding"))]
        )
    return str(best), _ENCODING_NAMES.get(encoding, encoding)


def _sniff_delimiter(text: str) -> str:
    # Excel in Greek, Bulgarian and Serbian locales saves "CSV" with semicolons.
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _header_problems(file: str, headers: list[str]) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for header in headers:
        if header in seen and header:
            problems.append(Problem(file, 1, header, gettext("the column appears twice")))
        seen.add(header)
    return problems


def _raw_table(
    kind: RecordKind,
    file: str,
    headers: list[Any],
    rows: Iterable[tuple[int, list[Any]]],
    problems: list[Problem],
) -> RawTable:
    columns = [normalise_header(h) for h in headers]
    problems.extend(_header_problems(file, columns))
    named = [position for position, column in enumerate(columns) if column]
    numbers: list[int] = []
    kept: list[list[Any]] = []
    for number, values in rows:
        cells = [restore_cell(values[p]) if p < len(values) else None for p in named]
        if any(_present(v) for v in cells):
            numbers.append(number)
            kept.append(cells)
        if len(kept) > MAX_ROWS_PER_TABLE:
            raise ValidationFailed(
                [
                    Problem(
                        file,
                        number,
                        None,
                        gettext("more than %(count)s rows") % {"count": f"{MAX_ROWS_PER_TABLE:,}"},
                    )
                ]
            )
    by_column = (
        [list(column) for column in zip(*kept, strict=True)] if kept else [[] for _ in named]
    )
    return RawTable(kind, file, [columns[p] for p in named], numbers, by_column)


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def read_csv_bytes(
    data: bytes, kind: RecordKind, file: str, into: RawTables, saved: str | None = None
) -> None:
    """Read one CSV table into ``into``; ``saved`` is when its file was saved, if known."""
    text, encoding = decode_csv(data, file)
    if encoding:
        into.notices.append(f"{file}: not UTF-8; read as {encoding}")
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=_sniff_delimiter(text),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            header=None,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.EmptyDataError:
        return
    except (pd.errors.ParserError, csv.Error, ValueError) as exc:
        into.problems.append(
            Problem(
                file, None, None, gettext("not a readable CSV table: %(reason)s") % {"reason": exc}
            )
        )
        return
    if frame.empty:
        return
    headers = [normalise_header(h) for h in frame.iloc[0]]
    into.problems.extend(_header_problems(file, headers))
    body = frame.iloc[1:]
    body.columns = pd.RangeIndex(len(headers))
    body = body[(body.apply(lambda column: column.str.strip()) != "").any(axis=1)]
    if len(body) > MAX_ROWS_PER_TABLE:
        raise ValidationFailed(
            [
                Problem(
                    file,
                    None,
                    None,
                    gettext("more than %(count)s rows") % {"count": f"{MAX_ROWS_PER_TABLE:,}"},
                )
            ]
        )
    named: dict[int, str] = {}
    for position, header in enumerate(headers):
        if header and header not in named.values():  # a repeated column is an error already
            named[position] = header
    body = body[list(named)].rename(columns=named)
    for column in body.columns:
        guarded = body[column].str.startswith("'")
        if guarded.any():
            body.loc[guarded, column] = body.loc[guarded, column].map(restore_cell)
    numbers = (body.index + 1).tolist()  # frame row 0 is the header, spreadsheet row 1
    cells = [body[column].tolist() for column in body.columns]
    into.tables[kind] = RawTable(kind, file, list(body.columns), numbers, cells, saved)


def _check_size(path_or_size: Path | int, file: str) -> None:
    size = path_or_size if isinstance(path_or_size, int) else path_or_size.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ValidationFailed(
            [
                Problem(
                    file,
                    None,
                    None,
                    gettext("the file is larger than %(size)d MB")
                    % {"size": MAX_FILE_BYTES // 2**20},
                )
            ]
        )


def check_zip_limits(archive: zipfile.ZipFile, file: str) -> None:
    """Refuse archives that would expand too far (zip bombs) before reading a byte."""
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise ValidationFailed(
            [
                Problem(
                    file,
                    None,
                    None,
                    gettext("more than %(count)d entries") % {"count": MAX_ZIP_ENTRIES},
                )
            ]
        )
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    if unpacked > MAX_XLSX_UNCOMPRESSED or unpacked / packed > MAX_XLSX_RATIO:
        raise ValidationFailed(
            [
                Problem(
                    file,
                    None,
                    None,
                    f"the file expands to {unpacked // 2**20} MB ({unpacked // packed}x its "
                    "size): refused as a possible zip bomb",
                )
            ]
        )


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


# What a damaged workbook or archive raises while it is read: a bad CRC or truncated
# deflate data (zipfile, zlib, EOFError), broken XML (ParseError), a missing part
# (KeyError), and openpyxl's own complaints about values of the wrong kind.
_DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    ParseError,
    KeyError,
    OSError,
    ValueError,
    TypeError,
    IndexError,
)


def _damage(exc: BaseException) -> str:
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return gettext(
        "the file is damaged and cannot be read (%(detail)s); nothing was read from it"
    ) % {"detail": detail}


def read_xlsx(data: bytes, file: str, into: RawTables, saved: str | None = None) -> None:
    """Read every sheet named after a table from an ``.xlsx`` workbook.

    A damaged workbook (broken XML inside, a bad CRC, a missing part) is one problem
    naming the file, whichever sheet it shows in; none of its tables is kept. The
    tables' ``saved_at`` is the workbook's own "last saved" (it travels with the file,
    through e-mail and uploads), or ``saved`` when earlier.
    """
    from openpyxl import load_workbook  # only for workbooks: keeps start-up light
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip_limits(archive, file)
    except zipfile.BadZipFile:
        into.problems.append(Problem(file, None, None, gettext("not an .xlsx workbook")))
        return
    read: dict[RecordKind, RawTable] = {}
    warnings: list[Problem] = []
    problems: list[Problem] = []
    workbook = None
    try:
        # read_only streams rows; data_only takes the values a spreadsheet last computed
        # and never the formulas themselves.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        modified = workbook.properties.modified
        when = saved_at(
            modified.replace(tzinfo=UTC) if isinstance(modified, datetime) else None,
            datetime.fromisoformat(saved) if saved else None,
        )
        for sheet in workbook.worksheets:
            kind = _table_kind(sheet.title)
            label = f"{file}[{sheet.title}]"
            if kind is None:
                warnings.append(
                    Problem(label, None, None, gettext("not a netmap table; the sheet is not read"))
                )
                continue
            iterator = sheet.iter_rows(values_only=True)
            header = next(iterator, None)
            if header is None:
                continue
            rows = (
                (number, [_xlsx_cell(v) for v in row])
                for number, row in enumerate(iterator, start=2)
            )
            read[kind] = _raw_table(kind, label, list(header), rows, problems)
            read[kind].saved_at = when
    except (*_DAMAGED, InvalidFileException) as exc:
        into.problems.append(Problem(file, None, None, _damage(exc)))
        return
    finally:
        if workbook is not None:
            workbook.close()
    into.tables.update(read)
    into.warnings.extend(warnings)
    into.problems.extend(problems)


def _read_zip(data: bytes, file: str, into: RawTables, saved: str | None = None) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        into.problems.append(Problem(file, None, None, gettext("not a zip archive")))
        return
    with archive:
        check_zip_limits(archive, file)
        for entry in archive.infolist():
            if entry.is_dir():
                continue
            # The names inside an archive are not trusted: only the last part is used,
            # and nothing is ever written to disk.
            name = PurePosixPath(entry.filename.replace("\\", "/")).name
            stem, _, suffix = name.rpartition(".")
            kind = _table_kind(stem)
            wanted = suffix.casefold() == "xlsx" or (
                kind is not None and suffix.casefold() == "csv"
            )
            if wanted:
                try:
                    content = archive.read(entry)
                except _DAMAGED as exc:
                    into.problems.append(Problem(f"{file}/{name}", None, None, _damage(exc)))
                    continue
            when = saved_at(
                _zip_time(entry.date_time), datetime.fromisoformat(saved) if saved else None
            )
            if suffix.casefold() == "xlsx":
                read_xlsx(content, f"{file}/{name}", into, when)
            elif kind is not None and suffix.casefold() == "csv":
                read_csv_bytes(content, kind, f"{file}/{name}", into, when)
            elif not name.startswith((".", "__MACOSX")):
                into.warnings.append(
                    Problem(f"{file}/{name}", None, None, gettext("not a netmap table; not read"))
                )


def _zip_time(date_time: tuple[int, int, int, int, int, int]) -> datetime | None:
    """A zip entry's time (local time, as zip keeps it), or None for the zero date."""
    try:
        return datetime(*date_time)
    except ValueError:
        return None


def read_bytes(data: bytes, file: str, saved: str | None = None) -> RawTables:
    """Read an uploaded file (``.csv`` named after its table, ``.xlsx`` or ``.zip``).

    ``saved`` is when the file was saved (its modification time), if known; an upload
    has none, but a workbook and a zip carry their own.
    """
    name = PurePosixPath(file.replace("\\", "/")).name
    into = RawTables(source=file, name=name, sha256=hashlib.sha256(data).hexdigest())
    _check_size(len(data), file)
    stem, _, suffix = name.rpartition(".")
    suffix = suffix.casefold()
    if suffix == "xlsx":
        read_xlsx(data, name, into, saved)
    elif suffix == "zip":
        _read_zip(data, name, into, saved)
    elif suffix == "csv" and (kind := _table_kind(stem)) is not None:
        read_csv_bytes(data, kind, name, into, saved)
    else:
        tables = ", ".join(f"{k.value}.csv" for k in RECORD_KINDS)
        into.problems.append(
            Problem(
                name,
                None,
                None,
                gettext("give an .xlsx workbook, a .zip of CSV files, or %(tables)s")
                % {"tables": tables},
            )
        )
    return into


def read_tables(path: str | Path) -> RawTables:
    """Read a folder of CSV files, a zip of them, an ``.xlsx`` workbook, or one CSV table."""
    path = Path(path)
    if not path.exists():
        raise ValidationFailed([Problem(str(path), None, None, gettext("no such file or folder"))])
    if path.is_file():
        _check_size(path, path.name)
        return read_bytes(path.read_bytes(), path.name, saved_at(path.stat().st_mtime))
    into = RawTables(source=str(path), name=path.resolve().name)
    content = hashlib.sha256()
    for child in sorted(path.iterdir()):
        if not child.is_file() or child.name.startswith("."):
            continue
        kind = _table_kind(child.stem)
        if child.suffix.casefold() == ".csv" and kind is not None:
            _check_size(child, child.name)
            data = child.read_bytes()
            content.update(f"{child.name}\0{len(data)}\0".encode())
            content.update(data)
            read_csv_bytes(data, kind, child.name, into, saved_at(child.stat().st_mtime))
        elif child.suffix.casefold() in (".csv", ".xlsx", ".xls", ".tsv"):
            # A table file under another name is most likely a typo ("institution.csv").
            into.warnings.append(
                Problem(child.name, None, None, gettext("not a netmap table; not read"))
            )
    into.sha256 = content.hexdigest()
    if not into.tables and not into.problems:
        names = ", ".join(f"{k.value}.csv" for k in RECORD_KINDS)
        into.problems.append(
            Problem(
                str(path),
                None,
                None,
                gettext("holds none of the tables %(names)s") % {"names": names},
            )
        )
    return into
