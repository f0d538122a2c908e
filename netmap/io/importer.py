"""Import: validate every row of every table first, then write all of it or nothing.

Every mistake is reported as ``FILE:ROW: FIELD: message`` (the row a spreadsheet
shows), all of them at once. Warnings (an unknown column, a likely duplicate, a city with
no coordinates) do not stop an import; errors stop all of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from netmap.errors import Problem, ValidationFailed
from netmap.io.reader import RawTable, RawTables, read_bytes, read_tables
from netmap.io.tables import TABLE_COLUMNS, required_columns
from netmap.model import RECORD_KINDS, Record, RecordKind, derive_id, fold
from netmap.store.base import GraphStore, Plan, Progress, RecordSet

# Tables whose unknown columns are kept, as "column: value" lines, in the notes field.
_NOTES_KIND = {RecordKind.INSTITUTION, RecordKind.TIE}


@dataclass
class ImportReport:
    """The outcome of reading and validating a source, and of writing it if asked."""

    source: str
    batch: RecordSet = field(default_factory=RecordSet)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    plan: Plan | None = None
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def pydantic_problems(file: str, row: int, error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors():
        location = [str(part) for part in item["loc"]]
        column = location[0] if location else None
        message = item["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        kind, value, context = item["type"], item.get("input"), item.get("ctx", {})
        if kind in ("missing", "string_too_short") or (value is None and kind != "value_error"):
            message = "required, but empty"
        elif kind in ("less_than_equal", "less_than"):
            message = f"{value!r} is above the largest allowed value, {context.get('le', context.get('lt'))}"
        elif kind in ("greater_than_equal", "greater_than"):
            message = f"{value!r} is below the smallest allowed value, {context.get('ge', context.get('gt'))}"
        elif kind in ("int_parsing", "float_parsing", "int_from_float"):
            message = f"{value!r} is not a number"
        elif kind == "string_too_long":
            message = f"longer than {context.get('max_length')} characters"
        elif column is None and ": " in message:
            # Checks across fields name the field they blame: "until: … before since …".
            head, rest = message.split(": ", 1)
            if head.isidentifier():
                column, message = head, rest
        if len(location) > 1 and location[1].isdigit():
            message = f"item {int(location[1]) + 1}: {message}"
        problems.append(Problem(file, row, column or "row", message))
    return problems


def _validate_table(
    table: RawTable, report: ImportReport, seen: dict[RecordKind, dict[str, int]]
) -> list[tuple[int, Record]]:
    kind = table.kind
    known = set(TABLE_COLUMNS[kind]) | set(kind.model.data_fields())
    unknown = [c for c in table.columns if c not in known]
    for column in required_columns(kind):
        if column not in table.columns:
            report.errors.append(Problem(table.file, 1, column, "the required column is missing"))
    if any(p.row == 1 and p.file == table.file for p in report.errors):
        return []
    for column in unknown:
        where = "kept in the notes" if kind in _NOTES_KIND else "not imported"
        report.warnings.append(
            Problem(table.file, 1, column, f"not a column of the {kind.value} table: {where}")
        )
    validated = []
    for number, cells in table.rows:
        values: dict[str, Any] = {c: cells.get(c) for c in known if c in cells}
        extras = [f"{c}: {cells[c]}" for c in unknown if cells.get(c) not in (None, "")]
        if extras and kind in _NOTES_KIND:
            values["notes"] = "\n".join(filter(None, [_text(values.get("notes")), *extras]))
        if not _text(values.get("id")) and kind.model.model_fields["id"].is_required():
            values["id"] = derive_id(kind, values)
        try:
            record = kind.model.model_validate(values)
        except ValidationError as exc:
            report.errors.extend(pydantic_problems(table.file, number, exc))
            continue
        first = seen[kind].get(record.id)
        if first is not None:
            report.errors.append(
                Problem(table.file, number, "id", f"{record.id!r} is also on row {first}")
            )
            continue
        seen[kind][record.id] = number
        validated.append((number, record))
    return validated


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def validate_tables(raw: RawTables, store: GraphStore | None = None) -> ImportReport:
    """Validate what was read: fields, duplicates, and references within it and to ``store``.

    Returns a report whose ``batch`` holds the valid records; ``errors`` is empty when the
    whole source may be written.
    """
    report = ImportReport(source=raw.source, errors=list(raw.problems))
    report.warnings.extend(raw.warnings)
    report.notices.extend(raw.notices)
    seen: dict[RecordKind, dict[str, int]] = defaultdict(dict)
    rows: dict[RecordKind, list[tuple[int, Record]]] = {}
    for kind in RECORD_KINDS:
        table = raw.tables.get(kind)
        if table is not None:
            rows[kind] = _validate_table(table, report, seen)
            report.batch.records[kind] = [record for _, record in rows[kind]]

    _check_references(raw, rows, report, store)
    _check_cities(raw, rows, report, store)
    _check_duplicate_names(raw, rows, report, store)
    report.errors.sort(key=lambda p: (p.file, p.row or 0))
    return report


def _existing(store: GraphStore | None, kind: RecordKind, ids: set[str]) -> set[str]:
    if store is None or not ids:
        return set()
    return store.existing_ids(kind, ids)


def _check_references(raw, rows, report: ImportReport, store: GraphStore | None) -> None:
    wanted: dict[RecordKind, set[str]] = defaultdict(set)
    for kind, items in rows.items():
        for column, target in kind.references.items():
            wanted[target].update(getattr(r, column) for _, r in items if getattr(r, column))
    known = {
        kind: report.batch.ids(kind) | _existing(store, kind, ids - report.batch.ids(kind))
        for kind, ids in wanted.items()
    }
    for kind, items in rows.items():
        file = raw.tables[kind].file
        for number, record in items:
            for column, target in kind.references.items():
                value = getattr(record, column)
                if value and value not in known[target]:
                    report.errors.append(
                        Problem(
                            file,
                            number,
                            column,
                            f"no {target.label.lower()} with id {value!r} in this import "
                            "or in the store",
                        )
                    )


def _check_cities(raw, rows, report: ImportReport, store: GraphStore | None) -> None:
    institutions = rows.get(RecordKind.INSTITUTION, [])
    if not institutions:
        return
    places = {(c.country, fold(c.name)) for c in report.batch.records[RecordKind.CITY]}
    if store is not None:
        places |= {(c.country, fold(c.name)) for c in store.list(RecordKind.CITY)}
    file = raw.tables[RecordKind.INSTITUTION].file
    missing: dict[tuple[str, str], list[int]] = defaultdict(list)
    for number, record in institutions:
        if record.city and (record.country, fold(record.city)) not in places:
            missing[(record.country, record.city)].append(number)
    for (country, city), numbers in missing.items():
        more = f" (and {len(numbers) - 1} more rows)" if len(numbers) > 1 else ""
        report.warnings.append(
            Problem(
                file,
                numbers[0],
                "city",
                f"{city!r} ({country}) is not in the cities table: it has no place on the "
                f"map{more}",
            )
        )


def _check_duplicate_names(raw, rows, report: ImportReport, store: GraphStore | None) -> None:
    """Warn about institutions whose names match after folding, in the same place."""
    institutions = rows.get(RecordKind.INSTITUTION, [])
    if not institutions:
        return
    file = raw.tables[RecordKind.INSTITUTION].file
    by_place: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
    batch_ids = report.batch.ids(RecordKind.INSTITUTION)
    if store is not None:
        for record in store.list(RecordKind.INSTITUTION):
            if record.id not in batch_ids:
                key = (record.country, fold(record.city or ""), fold(record.name))
                by_place[key].append((record.id, "in the store"))
    for number, record in institutions:
        key = (record.country, fold(record.city or ""), fold(record.name))
        for other_id, where in by_place[key]:
            report.warnings.append(
                Problem(
                    file,
                    number,
                    "name",
                    f"{record.name!r} looks like {other_id!r} ({where}): the same institution "
                    "twice? (not merged)",
                )
            )
        by_place[key].append((record.id, f"row {number}"))


def read_source(source: str | Path | tuple[str, bytes], store: GraphStore | None) -> ImportReport:
    """Read and validate a path (folder, ``.xlsx``, ``.zip``) or an uploaded ``(name, bytes)``."""
    try:
        raw = read_bytes(source[1], source[0]) if isinstance(source, tuple) else read_tables(source)
    except ValidationFailed as failed:
        name = source[0] if isinstance(source, tuple) else str(source)
        return ImportReport(source=name, errors=failed.problems)
    return validate_tables(raw, store)


def import_into(
    store: GraphStore,
    source: str | Path | tuple[str, bytes],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    on_report: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Validate ``source`` and write it to ``store`` in one transaction.

    With ``dry_run`` nothing is written and ``report.plan`` says what would change.
    Raises :class:`ValidationFailed` with every problem when there is any error; then
    nothing has been written.
    """
    report = read_source(source, store)
    if on_report is not None:
        on_report(report)
    if report.errors:
        raise ValidationFailed(report.errors)
    if dry_run:
        report.plan = store.plan(report.batch)
    else:
        report.plan = store.write(report.batch, progress=progress)
        report.written = True
    return report
