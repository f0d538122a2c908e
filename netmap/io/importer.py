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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from pydantic import ValidationError

from netmap.errors import Problem, ValidationFailed
from netmap.i18n import gettext, ngettext
from netmap.io.reader import RawTable, RawTables, read_bytes, read_tables
from netmap.io.tables import TABLE_COLUMNS, required_columns
from netmap.io.workers import run_in_workers, worker_count
from netmap.model import RECORD_KINDS, City, Institution, RecordKind, derive_id, fold
from netmap.store.base import GraphStore, Plan, Progress, RecordList, RecordSet

# Tables whose unknown columns are kept, as "column: value" lines, in the notes field.
_NOTES_KIND = {kind for kind in RECORD_KINDS if "notes" in kind.model.model_fields}


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
            message = gettext("required, but empty")
        elif kind in ("less_than_equal", "less_than"):
            message = gettext("%(value)s is above the largest allowed value, %(limit)s") % {
                "value": repr(value),
                "limit": context.get("le", context.get("lt")),
            }
        elif kind in ("greater_than_equal", "greater_than"):
            message = gettext("%(value)s is below the smallest allowed value, %(limit)s") % {
                "value": repr(value),
                "limit": context.get("ge", context.get("gt")),
            }
        elif kind in ("int_parsing", "float_parsing", "int_from_float"):
            message = gettext("%(value)s is not a number") % {"value": repr(value)}
        elif kind == "string_too_long":
            message = gettext("longer than %(count)s characters") % {
                "count": context.get("max_length")
            }
        elif column is None and ": " in message:
            # Checks across fields name the field they blame: "until: … before since …".
            head, rest = message.split(": ", 1)
            if head.isidentifier():
                column, message = head, rest
        if len(location) > 1 and location[1].isdigit():
            message = gettext("item %(number)d: %(message)s") % {
                "number": int(location[1]) + 1,
                "message": message,
            }
        problems.append(Problem(file, row, column or "row", message))
    return problems


# Rows per validation task, and the fewest rows worth more processes: a new process
# imports netmap again (a second or two), so small sources are validated in this one.
_TASK_ROWS = 25_000
_PARALLEL_ROWS = 200_000
# What a valid row becomes: its row number and its field values (see RecordList).
ValidRow = tuple[int, tuple[Any, ...]]


@dataclass(frozen=True)
class _Task:
    """Rows of one table to validate: picklable, so another process can do it."""

    table: RawTable
    unknown: tuple[str, ...]


def _validate_rows(task: _Task) -> tuple[list[ValidRow], list[Problem]]:
    """Validate each row on its own: the valid rows' values, and every problem found."""
    table = task.table
    kind, model = table.kind, table.kind.model
    values_of = RecordList(kind).values
    id_required = model.model_fields["id"].is_required()
    valid: list[ValidRow] = []
    problems: list[Problem] = []
    for number, row in zip(table.numbers, zip(*table.cells, strict=True), strict=True):
        values = cells = dict(zip(table.columns, row, strict=True))
        if task.unknown:
            values = {c: v for c, v in cells.items() if c not in task.unknown}
            extras = [f"{c}: {cells[c]}" for c in task.unknown if cells.get(c) not in (None, "")]
            if extras and kind in _NOTES_KIND:
                values["notes"] = "\n".join(filter(None, [_text(values.get("notes")), *extras]))
        if id_required and not _text(values.get("id")):
            values = {**values, "id": derive_id(kind, values)}
        try:
            record = model.model_validate(values)
        except ValidationError as exc:
            problems.extend(pydantic_problems(table.file, number, exc))
            continue
        valid.append((number, values_of(record)))
    return valid, problems


def _validate_by_column(task: _Task) -> tuple[list[int], list[list[Any]], list[Problem]]:
    """:func:`_validate_rows` for a worker: the valid rows by column, quick to send back."""
    valid, problems = _validate_rows(task)
    numbers = [number for number, _ in valid]
    columns = [list(column) for column in zip(*(values for _, values in valid), strict=True)]
    return numbers, columns, problems


def _run(
    tasks: list[_Task], progress: Progress | None
) -> list[tuple[list[ValidRow], list[Problem]]]:
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
        (list(zip(numbers, zip(*columns, strict=True), strict=True)) if numbers else [], problems)
        for numbers, columns, problems in run_in_workers(
            _validate_by_column, tasks, workers, on_result=advance
        )
    ]


def _tasks(table: RawTable, report: ImportReport) -> list[_Task]:
    """Check a table's header; return its rows as tasks (none when a column is missing)."""
    kind = table.kind
    known = set(TABLE_COLUMNS[kind]) | set(kind.model.data_fields())
    unknown = tuple(c for c in table.columns if c not in known)
    for column in required_columns(kind):
        if column not in table.columns:
            report.errors.append(
                Problem(table.file, 1, column, gettext("the required column is missing"))
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
        _Task(table.part(start, start + _TASK_ROWS), unknown)
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
    report = ImportReport(source=raw.source, errors=list(raw.problems))
    report.warnings.extend(raw.warnings)
    report.notices.extend(raw.notices)
    tasks = [
        task
        for kind in RECORD_KINDS
        if (table := raw.tables.get(kind)) is not None
        for task in _tasks(table, report)
    ]
    rows: dict[RecordKind, list[ValidRow]] = {}
    first_row: dict[tuple[RecordKind, str], int] = {}
    for task, (valid, problems) in zip(tasks, _run(tasks, progress), strict=True):
        report.errors.extend(problems)
        kind, file = task.table.kind, task.table.file
        kept = rows.setdefault(kind, [])
        id_of = _reader(kind, "id")
        for number, values in valid:
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
                kept.append((number, values))
    for kind, valid in rows.items():
        report.batch[kind] = RecordList(kind, [values for _, values in valid])

    _check_references(raw, rows, report, store)
    _check_evidence(raw, report)
    _check_cities(raw, rows, report, store)
    _check_duplicate_names(raw, rows, report, store)
    report.errors.sort(key=lambda p: (p.file, p.row or 0))
    return report


def _existing(store: GraphStore | None, kind: RecordKind, ids: set[str]) -> set[str]:
    if store is None or not ids:
        return set()
    return store.existing_ids(kind, ids)


def _reader(kind: RecordKind, *names: str) -> Callable[[tuple[Any, ...]], Any]:
    """A function that picks fields ``names`` out of a valid row's values."""
    return operator.itemgetter(*(tuple(kind.model.model_fields).index(n) for n in names))


def _check_references(
    raw: RawTables,
    rows: dict[RecordKind, list[ValidRow]],
    report: ImportReport,
    store: GraphStore | None,
) -> None:
    wanted: dict[RecordKind, set[str]] = defaultdict(set)
    for kind, items in rows.items():
        for column, target in kind.references.items():
            value_of = _reader(kind, column)
            wanted[target].update(value_of(values) for _, values in items if value_of(values))
    known: dict[RecordKind, set[str]] = {}
    for kind, ids in wanted.items():
        in_batch = report.batch.ids(kind)
        known[kind] = in_batch | _existing(store, kind, ids - in_batch)
    for kind, items in rows.items():
        file = raw.tables[kind].file
        for column, target in kind.references.items():
            value_of = _reader(kind, column)
            for number, values in items:
                value = value_of(values)
                if value and value not in known[target]:
                    report.errors.append(
                        Problem(
                            file,
                            number,
                            column,
                            gettext("no %(kind)s with id %(id)s in this import or in the store")
                            % {"kind": target.label.lower(), "id": repr(value)},
                        )
                    )


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
    store: GraphStore | None,
) -> None:
    institutions = rows.get(RecordKind.INSTITUTION, [])
    if not institutions:
        return
    cities = report.batch.records[RecordKind.CITY]
    places = {
        (country, fold(name))
        for country, name in zip(cities.column("country"), cities.column("name"), strict=True)
    }
    if store is not None:
        stored = cast(list[City], store.list(RecordKind.CITY))
        places |= {(c.country, fold(c.name)) for c in stored}
    file = raw.tables[RecordKind.INSTITUTION].file
    place_of = _reader(RecordKind.INSTITUTION, "country", "city")
    missing: dict[tuple[str, str], list[int]] = defaultdict(list)
    fold_once = functools.cache(fold)  # a hundred thousand rows name a few thousand cities
    for number, values in institutions:
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
    store: GraphStore | None,
) -> None:
    """Warn about institutions whose names match after folding, in the same place."""
    institutions = rows.get(RecordKind.INSTITUTION, [])
    if not institutions:
        return
    file = raw.tables[RecordKind.INSTITUTION].file
    by_place: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
    batch_ids = report.batch.ids(RecordKind.INSTITUTION)
    if store is not None:
        for record in cast(list[Institution], store.list(RecordKind.INSTITUTION)):
            if record.id not in batch_ids:
                key = (record.country, fold(record.city or ""), fold(record.name))
                by_place[key].append((record.id, "in the store"))
    fields_of = _reader(RecordKind.INSTITUTION, "id", "name", "country", "city")
    for number, values in institutions:
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
    progress: Progress | None = None,
    checking: Progress | None = None,
    on_report: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Validate ``source`` and write it to ``store`` in one transaction.

    With ``dry_run`` nothing is written and ``report.plan`` says what would change.
    Raises :class:`ValidationFailed` with every problem when there is any error; then
    nothing has been written. ``checking`` hears (rows checked, rows in all) while rows
    are validated, ``progress`` (records written, records in all) while they are written.
    """
    report = read_source(source, store, checking)
    if on_report is not None:
        on_report(report)
    if report.errors:
        raise ValidationFailed(report.errors)
    if dry_run:
        report.plan = store.plan(report.batch)
    else:
        with _collector_paused():
            report.plan = store.write(report.batch, progress=progress)
        report.written = True
    return report
