"""Import: validate every row of every table first, then write all of it or nothing.

Every mistake is reported as ``FILE:ROW: FIELD: message`` (the row a spreadsheet
shows), all of them at once. Warnings (an unknown column, a likely duplicate, a city with
no coordinates) do not stop an import; errors stop all of it.
"""

from __future__ import annotations

import functools
import gc
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from pydantic import ValidationError

from netmap.errors import Problem, ValidationFailed
from netmap.i18n import gettext, ngettext
from netmap.io.names import extra_columns, name_columns, resolve_names
from netmap.io.plan import ImportReport
from netmap.io.reader import RawTable, RawTables, read_bytes, read_tables
from netmap.io.report import SheetRows, pydantic_problems
from netmap.io.tables import TABLE_COLUMNS, required_columns
from netmap.io.workers import run_in_workers, worker_count
from netmap.model import (
    RECORD_KINDS,
    City,
    Institution,
    Record,
    RecordKind,
    clean_text,
    derive_id,
    fold,
)
from netmap.store.base import GraphStore, Progress, RecordList
from netmap.suggestions import closest

# Tables whose unknown columns are kept, as "column: value" lines, in the notes field.
_NOTES_KIND = {kind for kind in RECORD_KINDS if "notes" in kind.model.model_fields}


# Rows per validation task, and the fewest rows worth more processes: a new process
# imports netmap again (a second or two), so small sources are validated in this one.
_TASK_ROWS = 25_000
_PARALLEL_ROWS = 200_000
# What a valid row becomes: its row number, its field values (see RecordList) and the
# fields its cells filled (a bit mask, see SheetRows).
ValidRow = tuple[int, tuple[Any, ...], int]
# A row that failed: the id it would have had (when it can be told) and its number.
FailedRow = tuple[str | None, int]
# What validating a task finds: valid rows, problems, failed rows.
Validated = tuple[list[ValidRow], list[Problem], list[FailedRow]]


@dataclass(frozen=True)
class _Task:
    """Rows of one table to validate: picklable, so another process can do it."""

    table: RawTable
    unknown: tuple[str, ...]
    naming: tuple[str, ...] = ()  # columns that name a referenced record: not fields


def _field_bits(kind: RecordKind, columns: list[str], unknown: tuple[str, ...]) -> list[int]:
    """For each column, the bit of the field it fills (0: none)."""
    fields = tuple(kind.model.model_fields)
    named = {
        columns_.name: column for column, columns_ in name_columns(kind).items()
    }  # a name fills the reference it names
    bits = []
    for column in columns:
        target = named.get(column, column)
        if column in unknown and kind in _NOTES_KIND:
            target = "notes"
        bits.append(1 << fields.index(target) if target in fields else 0)
    return bits


def _validate_rows(task: _Task) -> Validated:
    """Validate each row on its own: the valid rows, every problem found, the failed rows."""
    table = task.table
    kind, model = table.kind, table.kind.model
    values_of = RecordList(kind).values
    id_required = model.model_fields["id"].is_required()
    bits = [(p, bit) for p, bit in enumerate(_field_bits(kind, table.columns, task.unknown)) if bit]
    valid: list[ValidRow] = []
    problems: list[Problem] = []
    failed: list[FailedRow] = []
    for number, row in zip(table.numbers, zip(*table.cells, strict=True), strict=True):
        values = cells = dict(zip(table.columns, row, strict=True))
        if task.naming:
            values = {c: v for c, v in cells.items() if c not in task.naming}
        if task.unknown:
            values = {c: v for c, v in values.items() if c not in task.unknown}
            extras = [f"{c}: {cells[c]}" for c in task.unknown if cells.get(c) not in (None, "")]
            if extras and kind in _NOTES_KIND:
                values["notes"] = "\n".join(filter(None, [_text(values.get("notes")), *extras]))
        if id_required and not _text(values.get("id")):
            values = {**values, "id": derive_id(kind, values)}
        try:
            record = model.model_validate(values)
        except ValidationError as exc:
            problems.extend(pydantic_problems(table.file, number, exc))
            written_id = clean_text(values.get("id"))
            failed.append((written_id if isinstance(written_id, str) else None, number))
            continue
        given = 0
        for position, bit in bits:
            if _present(row[position]):
                given |= bit
        valid.append((number, values_of(record), given))
    return valid, problems, failed


def _present(cell: Any) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _validate_by_column(
    task: _Task,
) -> tuple[list[int], list[list[Any]], list[int], list[Problem], list[FailedRow]]:
    """:func:`_validate_rows` for a worker: the valid rows by column, quick to send back."""
    valid, problems, failed = _validate_rows(task)
    numbers = [number for number, _, _ in valid]
    columns = [list(column) for column in zip(*(values for _, values, _ in valid), strict=True)]
    given = [mask for _, _, mask in valid]
    return numbers, columns, given, problems, failed


def _run(tasks: list[_Task], progress: Progress | None) -> list[Validated]:
    """Validate ``tasks``, in order: in worker processes when there are rows enough."""
    total = sum(len(task.table) for task in tasks)
    done = 0

    def advance(task: _Task) -> None:
        nonlocal done
        done += len(task.table)
        if progress is not None:
            progress(done, total)

    workers = worker_count()
    if workers < 2 or total < _PARALLEL_ROWS:
        results = []
        for task in tasks:
            results.append(_validate_rows(task))
            advance(task)
        return results
    return [
        (
            list(zip(numbers, zip(*columns, strict=True), given, strict=True)) if numbers else [],
            problems,
            failed,
        )
        for numbers, columns, given, problems, failed in run_in_workers(
            _validate_by_column, tasks, workers, on_result=advance
        )
    ]


def _tasks(table: RawTable, report: ImportReport) -> list[_Task]:
    """Check a table's header; return its rows as tasks (none when a column is missing)."""
    kind = table.kind
    naming = tuple(c for c in table.columns if c in extra_columns(kind))
    known = set(TABLE_COLUMNS[kind]) | set(kind.model.data_fields()) | set(naming)
    unknown = tuple(c for c in table.columns if c not in known)
    named = name_columns(kind)
    for column in required_columns(kind):
        if column not in table.columns and (
            column not in named or named[column].name not in table.columns
        ):
            also = f" (or {named[column].name})" if column in named else ""
            report.errors.append(
                Problem(
                    table.file,
                    1,
                    column,
                    gettext("the required column is missing")
                    if not also
                    else f"the required column{also} is missing",
                )
            )
    if any(p.row == 1 and p.file == table.file for p in report.errors):
        return []
    for column in unknown:
        message = (
            gettext("not a column of the %(table)s table: kept in the notes")
            if kind in _NOTES_KIND
            else gettext("not a column of the %(table)s table: not imported")
        )
        report.warnings.append(Problem(table.file, 1, column, message % {"table": kind.value}))
    return [
        _Task(table.part(start, start + _TASK_ROWS), unknown, naming)
        for start in range(0, len(table), _TASK_ROWS)
    ]


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def validate_tables(
    raw: RawTables, store: GraphStore | None = None, progress: Progress | None = None
) -> ImportReport:
    """Validate what was read: fields, duplicates, and references within it and to ``store``.

    Returns a report whose ``batch`` holds the valid records; ``errors`` is empty when the
    whole source may be written. ``progress`` hears (rows checked, rows in all).
    """
    report = ImportReport(
        source=raw.source, errors=list(raw.problems), name=raw.name, sha256=raw.sha256
    )
    report.warnings.extend(raw.warnings)
    report.notices.extend(raw.notices)
    stored = _StoredRecords(store)
    problems, unresolved = resolve_names(raw, stored)
    report.errors.extend(problems)
    tasks = [
        task
        for kind in RECORD_KINDS
        if (table := raw.tables.get(kind)) is not None
        for task in _tasks(table, report)
    ]
    rows: dict[RecordKind, list[ValidRow]] = {}
    failed: dict[RecordKind, dict[str, int]] = defaultdict(dict)
    first_row: dict[tuple[RecordKind, str], int] = {}
    for task, (valid, problems, failures) in zip(tasks, _run(tasks, progress), strict=True):
        kind, file = task.table.kind, task.table.file
        report.errors.extend(problems)
        for record_id, number in failures:
            if record_id:
                failed[kind].setdefault(record_id, number)
        kept = rows.setdefault(kind, [])
        id_of = _reader(kind, "id")
        for number, values, given in valid:
            if number in unresolved[kind]:
                continue  # its name was not found: a problem already says so
            record_id = id_of(values)
            first = first_row.setdefault((kind, record_id), number)
            if first != number:
                report.errors.append(
                    Problem(
                        file,
                        number,
                        "id",
                        gettext("%(id)s is also on row %(row)d")
                        % {"id": repr(record_id), "row": first},
                    )
                )
            else:
                kept.append((number, values, given))
    for kind, valid in rows.items():
        report.batch[kind] = RecordList(kind, [values for _, values, _ in valid])
        table = raw.tables[kind]
        present = 0
        for bit in _field_bits(kind, table.columns, ()):
            present |= bit
        report.sheets[kind] = SheetRows(
            kind,
            table.file,
            table.saved_at,
            present,
            [number for number, _, _ in valid],
            [given for _, _, given in valid],
        )

    _check_references(raw, rows, report, stored, failed)
    _check_evidence(raw, report)
    _check_cities(raw, rows, report, stored)
    _check_duplicate_names(raw, rows, report, stored)
    report.errors.sort(key=lambda p: (p.file, p.row or 0))
    return report


class _StoredRecords:
    """The store's records of a kind, read once per validation (an empty list without one)."""

    def __init__(self, store: GraphStore | None):
        self.store = store
        self._read: dict[RecordKind, list[Record]] = {}

    def __call__(self, kind: RecordKind) -> list[Record]:
        if self.store is None:
            return []
        if kind not in self._read:
            self._read[kind] = self.store.list(kind)
        return self._read[kind]

    def existing(self, kind: RecordKind, ids: set[str]) -> set[str]:
        if self.store is None or not ids:
            return set()
        if kind in self._read:
            return ids & {record.id for record in self._read[kind]}
        return self.store.existing_ids(kind, ids)


def _reader(kind: RecordKind, *names: str) -> Callable[[tuple[Any, ...]], Any]:
    """A function that picks fields ``names`` out of a valid row's values."""
    return operator.itemgetter(*(tuple(kind.model.model_fields).index(n) for n in names))


# Ids suggested for, at most: each suggestion compares the id with every known one.
_SUGGESTED_IDS = 200
# How alike (0-100) a known id must be to be suggested: ids of one place share most of
# their letters (rs-nis-csr, rs-nis-police), so only a close one is a likely typo.
_ID_CUTOFF = 80


def _check_references(
    raw: RawTables,
    rows: dict[RecordKind, list[ValidRow]],
    report: ImportReport,
    stored: _StoredRecords,
    failed: dict[RecordKind, dict[str, int]],
) -> None:
    """Every id a row refers to must be in this import or in the store. A reference to
    a row that failed says so, once, instead of repeating that row's mistake; an unknown
    id gets the closest known ones."""
    wanted: dict[RecordKind, set[str]] = defaultdict(set)
    for kind, items in rows.items():
        for column, target in kind.references.items():
            value_of = _reader(kind, column)
            wanted[target].update(value_of(values) for _, values, _ in items if value_of(values))
    known: dict[RecordKind, set[str]] = {}
    for kind, ids in wanted.items():
        in_batch = report.batch.ids(kind)
        known[kind] = in_batch | stored.existing(kind, ids - in_batch)
    suggestions: dict[tuple[RecordKind, str], str] = {}

    def unknown(target: RecordKind, value: str) -> str:
        message = gettext("no %(kind)s with id %(id)s in this import or in the store") % {
            "kind": target.label.lower(),
            "id": repr(value),
        }
        if (target, value) not in suggestions:
            options: Iterable[str] = ()
            if len(suggestions) < _SUGGESTED_IDS:
                options = report.batch.ids(target) | {r.id for r in stored(target)}
            close = [repr(match) for match in closest(value, options, cutoff=_ID_CUTOFF)]
            suggestions[(target, value)] = (
                "; did you mean " + " or ".join(close) + "?" if close else ""
            )
        return message + suggestions[(target, value)]

    for kind, items in rows.items():
        file = raw.tables[kind].file
        for column, target in kind.references.items():
            value_of = _reader(kind, column)
            for number, values, _ in items:
                value = value_of(values)
                if not value or value in known[target]:
                    continue
                if value in failed[target]:
                    where = raw.tables[target].file
                    row = failed[target][value]
                    message = (
                        f"{target.label.lower()} {value!r} is not imported because "
                        + (f"row {row}" if where == file else f"{where} row {row}")
                        + " failed"
                    )
                else:
                    message = unknown(target, value)
                report.errors.append(Problem(file, number, column, message))


def _check_evidence(raw: RawTables, report: ImportReport) -> None:
    """Warn, once per table, about rows that do not say how they are known: they are
    taken as ``reported`` (someone entered them), which the analyses use by default."""
    for kind, table in raw.tables.items():
        if "evidence" not in kind.model.model_fields or not len(table):
            continue
        if "evidence" in table.columns:
            cells = table.cells[table.columns.index("evidence")]
            empty = [n for n, cell in zip(table.numbers, cells, strict=True) if not _filled(cell)]
        else:
            empty = table.numbers
        if not empty:
            continue
        if len(empty) == len(table):
            what = ngettext(
                "no row says how it is known: the %(count)d row is taken as reported",
                "no row says how it is known: all %(count)d taken as reported",
                len(empty),
            ) % {"count": len(empty)}
        elif len(empty) > 1:
            what = gettext("%(count)d rows do not say how they are known: taken as reported") % {
                "count": len(empty)
            }
        else:
            what = gettext("this row does not say how it is known: taken as reported")
        report.warnings.append(
            Problem(
                table.file,
                1 if len(empty) == len(table) else empty[0],
                "evidence",
                gettext(
                    "%(what)s (write documented with the source's quote, reported, inferred "
                    "with what from, or modelled)"
                )
                % {"what": what},
            )
        )


def _filled(cell: Any) -> bool:
    return cell is not None and str(cell).strip() not in ("", "nan")


def _check_cities(
    raw: RawTables,
    rows: dict[RecordKind, list[ValidRow]],
    report: ImportReport,
    stored: _StoredRecords,
) -> None:
    institutions = rows.get(RecordKind.INSTITUTION, [])
    if not institutions:
        return
    cities = report.batch.records[RecordKind.CITY]
    places = {
        (country, fold(name))
        for country, name in zip(cities.column("country"), cities.column("name"), strict=True)
    }
    places |= {(c.country, fold(c.name)) for c in cast(list[City], stored(RecordKind.CITY))}
    file = raw.tables[RecordKind.INSTITUTION].file
    place_of = _reader(RecordKind.INSTITUTION, "country", "city")
    missing: dict[tuple[str, str], list[int]] = defaultdict(list)
    fold_once = functools.cache(fold)  # a hundred thousand rows name a few thousand cities
    for number, values, _ in institutions:
        country, city = place_of(values)
        if city and (country, fold_once(city)) not in places:
            missing[(country, city)].append(number)
    for (country, city), numbers in missing.items():
        message = gettext(
            "%(city)s (%(country)s) is not in the cities table: it has no place on the map"
        ) % {"city": repr(city), "country": country}
        if len(numbers) > 1:
            message += " " + ngettext(
                "(and %(count)d more row)", "(and %(count)d more rows)", len(numbers) - 1
            ) % {"count": len(numbers) - 1}
        report.warnings.append(Problem(file, numbers[0], "city", message))


def _check_duplicate_names(
    raw: RawTables,
    rows: dict[RecordKind, list[ValidRow]],
    report: ImportReport,
    stored: _StoredRecords,
) -> None:
    """Warn about institutions whose names match after folding, in the same place."""
    institutions = rows.get(RecordKind.INSTITUTION, [])
    if not institutions:
        return
    file = raw.tables[RecordKind.INSTITUTION].file
    by_place: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
    batch_ids = report.batch.ids(RecordKind.INSTITUTION)
    for record in cast(list[Institution], stored(RecordKind.INSTITUTION)):
        if record.id not in batch_ids:
            key = (record.country, fold(record.city or ""), fold(record.name))
            by_place[key].append((record.id, "in the store"))
    fields_of = _reader(RecordKind.INSTITUTION, "id", "name", "country", "city")
    for number, values, _ in institutions:
        record_id, name, country, city = fields_of(values)
        key = (country, fold(city or ""), fold(name))
        for other_id, where in by_place[key]:
            report.warnings.append(
                Problem(
                    file,
                    number,
                    "name",
                    gettext(
                        "%(name)s looks like %(other)s (%(where)s): the same institution "
                        "twice? (not merged)"
                    )
                    % {"name": repr(name), "other": repr(other_id), "where": where},
                )
            )
        by_place[key].append((record_id, f"row {number}"))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector: an import makes millions of objects and no cycles,
    and each full collection walks all of them (a sixth of the time at 100k institutions).
    Reference counting still frees everything as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_source(
    source: str | Path | tuple[str, bytes],
    store: GraphStore | None,
    progress: Progress | None = None,
) -> ImportReport:
    """Read and validate a path (folder, ``.xlsx``, ``.zip``) or an uploaded ``(name, bytes)``.

    ``progress`` hears (rows checked, rows in all) while the rows are validated.
    """
    with _collector_paused():
        try:
            raw = (
                read_bytes(source[1], source[0])
                if isinstance(source, tuple)
                else read_tables(source)
            )
        except ValidationFailed as failed:
            name = source[0] if isinstance(source, tuple) else str(source)
            return ImportReport(source=name, errors=failed.problems)
        return validate_tables(raw, store, progress)


def import_into(
    store: GraphStore,
    source: str | Path | tuple[str, bytes],
    *,
    dry_run: bool = False,
    clear_empty: bool = False,
    overwrite_conflicts: bool = False,
    progress: Progress | None = None,
    checking: Progress | None = None,
    on_report: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Validate ``source`` and write it to ``store`` in one transaction.

    ``report.plan`` says what changes, field by field (:mod:`netmap.io.plan`): an empty
    cell keeps the stored value unless ``clear_empty``, and a value changed in the store
    after the file's date is kept as a conflict unless ``overwrite_conflicts``. With
    ``dry_run`` nothing is written. Raises :class:`ValidationFailed` with every problem
    when there is any error; then nothing has been written. ``checking`` hears (rows
    checked, rows in all) while rows are validated, ``progress`` (records written,
    records in all) while they are written.
    """
    from netmap.io.plan import plan_import, write_import

    report = read_source(source, store, checking)
    if on_report is not None:
        on_report(report)
    if report.errors:
        raise ValidationFailed(report.errors)
    with _collector_paused():
        report.plan = plan_import(
            store, report, clear_empty=clear_empty, overwrite_conflicts=overwrite_conflicts
        )
    if report.plan.errors:
        raise ValidationFailed(report.plan.errors)
    if not dry_run:
        with _collector_paused():
            write_import(store, report.plan, progress=progress)
        report.written = True
    return report
