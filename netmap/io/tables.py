"""The table format: which columns each table has, and how cells are written and read.

One format serves import, export and the demo network: a folder of CSV files or one
``.xlsx`` workbook, one table (sheet) per record kind. See "The table format" in docs/user-guide.md.
"""

from __future__ import annotations

from typing import Any

from netmap.model import EVIDENCE_FIELDS, RECORD_KINDS, Record, RecordKind

# Kinds whose id is derived from other columns and not written as a column of its own.
_DERIVED_ID = {RecordKind.CITY, RecordKind.PARTICIPATION}
# Cells a spreadsheet would run as a formula (OWASP CSV injection, CWE-1236).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")


def columns(kind: RecordKind) -> list[str]:
    """The columns of ``kind``'s table, in the order they are written: the id, the
    record's own fields, then where it comes from and how it is known (source, the
    evidence fields, last verified)."""
    provenance = [
        "source",
        *(f for f in EVIDENCE_FIELDS if f in kind.model.model_fields),
        *(f for f in kind.model.model_fields if f.startswith("services_")),
    ]
    fields = [f for f in kind.model.data_fields() if f not in ("id", "last_verified", *provenance)]
    lead = [] if kind in _DERIVED_ID else ["id"]
    tail = [] if kind is RecordKind.PARTICIPATION else ["last_verified"]
    return [*lead, *fields, *provenance, *tail]


def required_columns(kind: RecordKind) -> list[str]:
    """The columns a table must have (marked * in the user guide); ids can always be derived."""
    model = kind.model
    return [
        name for name in columns(kind) if name != "id" and model.model_fields[name].is_required()
    ]


TABLE_COLUMNS: dict[RecordKind, list[str]] = {kind: columns(kind) for kind in RECORD_KINDS}


def needs_guard(text: str) -> bool:
    """True when a cell starting with ``text`` would be read as a formula by a spreadsheet.

    A text that starts with ``'`` followed by such a text is guarded too, so that guarding
    can always be undone exactly (see :func:`restore_cell`).
    """
    if not text:
        return False
    if text[0] in FORMULA_TRIGGERS:
        return True
    return text[0] == "'" and needs_guard(text[1:])


def neutralise_cell(value: Any) -> Any:
    """Prefix ``'`` to a text a spreadsheet would run as a formula; other values pass."""
    if isinstance(value, str) and needs_guard(value):
        return "'" + value
    return value


def restore_cell(value: Any) -> Any:
    """Undo :func:`neutralise_cell` when reading a table back."""
    if isinstance(value, str) and value.startswith("'") and needs_guard(value[1:]):
        return value[1:]
    return value


def to_cell(value: Any) -> Any:
    """Write one field value as a table cell: lists joined by ``;``, booleans yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ";".join(str(item) for item in value)
    return value


def record_to_row(record: dict[str, Any], kind: RecordKind) -> dict[str, Any]:
    """Return a record's table row (the table's columns only, as cells)."""
    return {column: to_cell(record.get(column)) for column in TABLE_COLUMNS[kind]}


def normalise_header(header: Any) -> str:
    """Match column names case-insensitively, ignoring spaces around and a required ``*``."""
    text = "" if header is None else str(header)
    return text.strip().rstrip("*").strip().casefold().replace(" ", "_")


__all__ = [
    "FORMULA_TRIGGERS",
    "TABLE_COLUMNS",
    "Record",
    "columns",
    "neutralise_cell",
    "normalise_header",
    "record_to_row",
    "required_columns",
    "restore_cell",
    "to_cell",
]
