"""What an import changes, field by field, and the rules that keep it from overwriting.

An import never silently replaces what the store holds:

- **A column the file does not have changes nothing**, and **an empty cell keeps the
  stored value**, unless the import is asked to clear (``clear_empty``): then an empty
  cell of a column the file has empties the field.
- **A value changed in the store after the file's date is a conflict**, and is kept as
  it is unless the import is asked to overwrite (``overwrite_conflicts``). Changed by
  anything but an import of this same file: an edit in the app, a sync, another file.
  The file's date is the row's own (the later of its ``last_verified`` and
  ``reported_on`` cells) when it has one, or when the file says it was saved if that is
  earlier; for a row without a date, the earlier of when the file was saved and when it
  was first imported (netmap keeps a history of imports by file name). When netmap knows
  neither (a CSV uploaded for the first time), every value edited in the app counts as
  newer than the file.
- The plan is made at one revision of the store, and :func:`write_import` writes it
  only if the store is still at that revision, all of it in one transaction.

:func:`plan_import` returns an :class:`ImportPlan`: every field that changes, is
emptied, is kept because its cell is empty, or is a conflict, with its value before and
after; :meth:`ImportPlan.rows` gives them as table rows for the CLI and the app.
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import pandas as pd
from pydantic import ValidationError

from netmap.errors import Problem, ValidationFailed
from netmap.i18n import N_, ngettext
from netmap.i18n import gettext as _
from netmap.io.report import SheetRows, pydantic_problems
from netmap.io.tables import TABLE_COLUMNS, to_cell
from netmap.model import RECORD_KINDS, Record, RecordKind
from netmap.store.base import (
    FieldStamp,
    GraphStore,
    ImportEntry,
    Plan,
    Progress,
    RecordList,
    RecordSet,
)


@dataclass
class ImportReport:
    """The outcome of reading and validating a source, and of writing it if asked.

    ``name`` and ``sha256`` say which file it is (see :class:`RawTables`); ``sheets``
    where each record of ``batch`` comes from. ``plan`` is what writing it changes,
    field by field (:class:`ImportPlan`), once planned.
    """

    source: str
    batch: RecordSet = field(default_factory=RecordSet)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    plan: ImportPlan | None = None
    written: bool = False
    name: str = ""
    sha256: str = ""
    sheets: dict[RecordKind, SheetRows] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


class Outcome(StrEnum):
    """What an import does to one field (or, ``NEW``, to one record)."""

    NEW = "new"
    CHANGED = "changed"
    EMPTIED = "emptied"
    KEPT = "kept"
    CONFLICT = "conflict"
    OVERWRITTEN = "overwritten"

    @property
    def text(self) -> str:
        """The outcome in words, in the current language, as the CLI and the app show it."""
        return _(_OUTCOME_TEXT[self])


_OUTCOME_TEXT = {
    # Translators: what an import does to one record of the file.
    Outcome.NEW: N_("new record"),
    # Translators: what an import does to one field of a stored record.
    Outcome.CHANGED: N_("changed"),
    Outcome.EMPTIED: N_("emptied: the cell is empty"),
    Outcome.KEPT: N_("kept: the cell is empty"),
    Outcome.CONFLICT: N_("conflict: the store's value is kept"),
    Outcome.OVERWRITTEN: N_("conflict: overwritten with the file's value"),
}
#: Outcomes that change the stored value.
WRITTEN = frozenset({Outcome.NEW, Outcome.CHANGED, Outcome.EMPTIED, Outcome.OVERWRITTEN})


@dataclass(frozen=True)
class FieldChange:
    """One field of one stored record that the file would change, or does not change
    although it differs (kept, a conflict).

    ``before`` is the stored value, ``in_file`` what the file's cell says (None when
    empty), ``after`` the stored value after the import. ``why`` says, for a conflict,
    when and by whom the stored value was changed, and the file's date it is newer than.
    """

    kind: RecordKind
    record_id: str
    name: str
    field: str
    before: Any
    in_file: Any
    after: Any
    outcome: Outcome
    file: str
    row: int
    why: str = ""


#: The columns of :meth:`ImportPlan.rows`.
ROW_COLUMNS = ("table", "record", "field", "before", "in_file", "after", "what", "why")
#: The headers of :meth:`ImportPlan.frame` and of the command line's table, for people,
#: translated where shown (:func:`frame_header`).
FRAME_HEADERS = {
    # Translators: a column header of the import's dry run: the table of the store.
    "table": N_("Table"),
    # Translators: a column header of the import's dry run: which record.
    "record": N_("Record"),
    # Translators: a column header of the import's dry run: which field of the record.
    "field": N_("Field"),
    # Translators: a column header of the import's dry run: the stored value before it.
    "before": N_("Before"),
    # Translators: a column header of the import's dry run: the value in the file.
    "in_file": N_("In the file"),
    # Translators: a column header of the import's dry run: the stored value after it.
    "after": N_("After"),
    "what": N_("What happens"),
    # Translators: a column header: the reason for what happens.
    "why": N_("Why"),
    # Translators: a column header: the file and row a value comes from.
    "where": N_("Where"),
}
#: The tables of a store as people name them, translated where shown (:func:`table_name`).
TABLE_NAMES = {
    RecordKind.INSTITUTION: N_("Institutions"),
    RecordKind.CONTACT: N_("Contacts"),
    RecordKind.TIE: N_("Ties"),
    RecordKind.INITIATIVE: N_("Initiatives"),
    RecordKind.PARTICIPATION: N_("Participations"),
    RecordKind.CITY: N_("Cities"),
    RecordKind.SOURCE: N_("Sources"),
}


def frame_header(column: str) -> str:
    """The header of ``column`` of :meth:`ImportPlan.frame` in the current language."""
    return _(FRAME_HEADERS[column])


#: What the change log names besides the tables of records (its ``kind`` column).
_LOGGED_TABLES = {
    "accounts": N_("Accounts"),
    # Translators: what a restore changes, in the change log's "Table" column.
    "store": N_("The whole store"),
}


def table_name(kind: RecordKind | str) -> str:
    """The table of ``kind`` (a :class:`RecordKind` or its value, or ``accounts`` and
    ``store`` as the change log names them) in the current language: ``Institutions``;
    a value that names no table, capitalised as it is."""
    if str(kind) in _LOGGED_TABLES:
        return _(_LOGGED_TABLES[str(kind)])
    try:
        return _(TABLE_NAMES[RecordKind(kind)])
    except (KeyError, ValueError):
        return str(kind).capitalize()


def field_words(field: str) -> str:
    """A field's name as words (``last_verified`` -> ``Last verified``)."""
    return field.replace("_", " ").capitalize()


@dataclass
class ImportPlan:
    """What writing a checked import would change, field by field.

    ``new``, ``updated`` and ``unchanged`` list record ids by kind (``unchanged``: stored
    records the import leaves as they are, conflicts and kept values included);
    ``fields`` every field of a stored record that changes or differs; ``batch`` what
    :func:`write_import` writes (the new records, and the changed ones as the store
    holds them with the changes made); ``revision`` the store's revision the plan was
    made at; ``errors`` records that the changes would make invalid (a kept ``since``
    after a new ``until``); ``notes`` what the user should know (earlier imports).
    """

    source: str
    revision: int
    clear_empty: bool
    overwrite_conflicts: bool
    imported: ImportEntry
    batch: RecordSet = field(default_factory=RecordSet)
    fields: list[FieldChange] = field(default_factory=list)
    new: dict[RecordKind, list[str]] = field(default_factory=lambda: _by_kind())
    updated: dict[RecordKind, list[str]] = field(default_factory=lambda: _by_kind())
    unchanged: dict[RecordKind, list[str]] = field(default_factory=lambda: _by_kind())
    new_rows: dict[RecordKind, list[int]] = field(default_factory=lambda: _by_kind())
    files: dict[RecordKind, str] = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: Plan | None = None

    @property
    def changes(self) -> int:
        """The number of records written: new ones and changed ones."""
        return sum(map(len, self.new.values())) + sum(map(len, self.updated.values()))

    def count(self, outcome: Outcome) -> int:
        """How many fields (records, for ``NEW``) have ``outcome``."""
        if outcome is Outcome.NEW:
            return sum(map(len, self.new.values()))
        return sum(1 for change in self.fields if change.outcome is outcome)

    @property
    def conflicts(self) -> list[FieldChange]:
        """The fields changed in the store after the file's date (kept or overwritten)."""
        return [c for c in self.fields if c.outcome in (Outcome.CONFLICT, Outcome.OVERWRITTEN)]

    def summary(self) -> list[dict[str, Any]]:
        """One row per kind with the number of new, updated and unchanged records."""
        return [
            {
                "table": kind.value,
                "new": len(self.new[kind]),
                "updated": len(self.updated[kind]),
                "unchanged": len(self.unchanged[kind]),
            }
            for kind in RECORD_KINDS
        ]

    def rows(self, cells: bool = True) -> Iterator[dict[str, Any]]:
        """Every field change, then every new record, per table in the file's order, as
        rows of :data:`ROW_COLUMNS` and ``id``, ``outcome`` (its key), ``file``, ``row``.

        With ``cells``, values are written as a table's cells (lists joined by ``;``,
        yes/no, empty text for none); without, they stay Python values (for JSON).
        """
        shown = to_cell if cells else (lambda value: value)
        by_kind: dict[RecordKind, list[FieldChange]] = {kind: [] for kind in RECORD_KINDS}
        for change in self.fields:
            by_kind[change.kind].append(change)
        for kind in RECORD_KINDS:
            order = {name: place for place, name in enumerate(TABLE_COLUMNS[kind])}
            for change in sorted(by_kind[kind], key=lambda c: (c.row, order.get(c.field, 0))):
                yield {
                    "table": kind.value,
                    "record": _record_label(change.name, change.record_id),
                    "field": change.field,
                    "before": shown(change.before),
                    "in_file": shown(change.in_file),
                    "after": shown(change.after),
                    "what": change.outcome.text,
                    "why": change.why,
                    "id": change.record_id,
                    "outcome": change.outcome.value,
                    "file": change.file,
                    "row": change.row,
                }
            names = _names(self.batch.records[kind], set(self.new[kind]))
            for record_id, row in zip(self.new[kind], self.new_rows[kind], strict=True):
                yield {
                    "table": kind.value,
                    "record": _record_label(names.get(record_id), record_id),
                    "field": "",
                    "before": shown(None),
                    "in_file": shown(None),
                    "after": shown(None),
                    "what": Outcome.NEW.text,
                    "why": "",
                    "id": record_id,
                    "outcome": Outcome.NEW.value,
                    "file": self.files[kind],
                    "row": row,
                }

    def frame(
        self, limit: int | None = None, field_label: Callable[[str], str] = field_words
    ) -> pd.DataFrame:
        """The first ``limit`` of :meth:`rows` (all by default) as a table for people, in
        the current language: headers in words (:data:`FRAME_HEADERS`), tables and fields
        named as in a sentence (``field_label`` names a field), values as cells, and where
        each row is (``institutions.csv:4``)."""
        shown = [
            {
                **{column: row[column] for column in ROW_COLUMNS},
                "table": table_name(row["table"]),
                "field": field_label(row["field"]) if row["field"] else "",
                "where": f"{row['file']}:{row['row']}",
            }
            for row in itertools.islice(self.rows(), limit)
        ]
        frame = pd.DataFrame(shown, columns=list(FRAME_HEADERS), dtype=object)
        return frame.rename(columns={key: frame_header(key) for key in FRAME_HEADERS})

    def summary_frame(self) -> pd.DataFrame:
        """:meth:`summary` for people: the tables the file has, with headers in words (in
        the current language)."""
        headers = [
            frame_header("table"),
            # Translators: a column header: how many new records of a table an import adds.
            _("New"),
            # Translators: a column header: how many records an import changes.
            _("Changed"),
            # Translators: a column header: how many records an import leaves as they are.
            _("Unchanged"),
        ]
        return pd.DataFrame(
            [
                dict(
                    zip(
                        headers,
                        (table_name(row["table"]), row["new"], row["updated"], row["unchanged"]),
                        strict=True,
                    )
                )
                for row in self.summary()
                if row["new"] or row["updated"] or row["unchanged"]
            ],
            columns=headers,
        )

    def as_json(self) -> dict[str, Any]:
        """The plan as plain data for ``--json``: its counts, notes and every row."""
        return {
            "source": self.source,
            "file": self.imported.source,
            "revision": self.revision,
            "clear_empty": self.clear_empty,
            "overwrite_conflicts": self.overwrite_conflicts,
            "summary": self.summary(),
            "counts": {outcome.value: self.count(outcome) for outcome in Outcome},
            "notes": list(self.notes),
            "changes": list(self.rows(cells=False)),
            "written": self.written is not None,
        }


def _by_kind() -> dict[RecordKind, list[Any]]:
    return {kind: [] for kind in RECORD_KINDS}


def _record_label(name: str | None, record_id: str) -> str:
    return f"{name} ({record_id})" if name and name != record_id else record_id


def _names(records: RecordList, ids: set[str]) -> dict[str, str]:
    """The names (or titles) of the records ``ids`` among ``records``."""
    label = next((f for f in ("name", "title") if f in records.fields), None)
    if label is None:
        return {}
    return {
        record_id: name
        for record_id, name in zip(records.column("id"), records.column(label), strict=True)
        if record_id in ids
    }


# --- the file's date ------------------------------------------------------------------------


def moment(text: str) -> datetime:
    """An ISO timestamp or a partial date (``2026``, ``2026-03``, ``2026-03-05``) as a UTC
    datetime: a date is taken at its first moment (a day's edits count as after it)."""
    if len(text) <= 10:
        year, month, day = (int(part) for part in [*text.split("-"), "1", "1"][:3])
        return datetime(year, month, day, tzinfo=UTC)
    found = datetime.fromisoformat(text)
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def _day(text: str) -> str:
    """A timestamp as people read it: ``2026-03-05 10:12 UTC`` (a date stays a date)."""
    if len(text) <= 10:
        return text
    return moment(text).strftime("%Y-%m-%d %H:%M UTC")


@dataclass(frozen=True)
class _Reference:
    """What a stored value must not have been changed after, for a file's value to win:
    a moment, or (an earlier import, known exactly) a revision. ``what`` says which
    (``file``, ``first_import``, ``row`` or ``unknown``), for the conflict's reason, with
    the date as the file gives it (``day``) and the row's column it comes from
    (``column``)."""

    at: datetime | None
    what: str
    day: str = ""
    column: str = ""
    revision: int | None = None


def _row_date(record: Record, given: set[str]) -> tuple[str, str] | None:
    """The row's own date: the later of its given last_verified and reported_on."""
    dates = [
        (value, name)
        for name in ("last_verified", "reported_on")
        if name in given and (value := getattr(record, name, None))
    ]
    return max(dates, key=lambda found: moment(found[0])) if dates else None


def _saved(sheet: SheetRows) -> list[_Reference]:
    """When the file was saved, if it says: its cells were written no later."""
    if not sheet.saved_at:
        return []
    return [_Reference(moment(sheet.saved_at), "file", _day(sheet.saved_at))]


def _first_import(history: list[ImportEntry]) -> list[_Reference]:
    """When a file of this name was first imported, known exactly by its revision."""
    if not history:
        return []
    first = history[0]
    return [_Reference(moment(first.at), "first_import", _day(first.at), revision=first.revision)]


def _earliest(known: list[_Reference]) -> _Reference:
    if not known:
        return _Reference(None, "unknown")
    # On the same second, an import: its revision orders it exactly.
    return min(known, key=lambda found: (found.at, found.revision is None))


# --- planning ----------------------------------------------------------------------------------


def _filled(value: Any) -> bool:
    return value not in (None, "", [])


def plan_import(
    store: GraphStore,
    report: ImportReport,
    *,
    clear_empty: bool = False,
    overwrite_conflicts: bool = False,
) -> ImportPlan:
    """Plan the import of a checked ``report`` into ``store``: what each field becomes.

    Reads the store (its revision first, then the records the file names, when their
    fields were last set, and this file's earlier imports); writes nothing. See the
    module's docstring for the rules; ``clear_empty`` lets empty cells empty stored
    fields, ``overwrite_conflicts`` lets the file's values replace newer ones.
    """
    revision = store.revision()
    history = store.imports(report.name) if report.name else []
    by_imports = {entry.revision for entry in store.imports()}
    by_this_file = {entry.revision for entry in history}
    saved = [sheet.saved_at for sheet in report.sheets.values() if sheet.saved_at]
    plan = ImportPlan(
        source=report.source,
        revision=revision,
        clear_empty=clear_empty,
        overwrite_conflicts=overwrite_conflicts,
        imported=ImportEntry(report.name, report.sha256, min(saved, key=moment) if saved else None),
    )
    if history:
        plan.notes.append(_history_note(report, history))
    for kind in RECORD_KINDS:
        records = report.batch.records[kind]
        sheet = report.sheets.get(kind)
        if sheet is None or not len(records):
            continue
        plan.files[kind] = sheet.file
        _plan_kind(
            store,
            plan,
            kind,
            records,
            sheet,
            history,
            by_imports,
            by_this_file,
        )
    return plan


def _history_note(report: ImportReport, history: list[ImportEntry]) -> str:
    first, last = history[0], history[-1]
    same = next((entry for entry in reversed(history) if entry.sha256 == report.sha256), None)
    values = {
        "file": report.name,
        "first": _day(first.at),
        "first_actor": first.actor,
        "last": _day(last.at),
        "last_actor": last.actor,
        "count": len(history),
        "same": _day(same.at) if same is not None else "",
    }
    if len(history) == 1:
        if same is not None:
            return (
                _(
                    "%(file)s was imported before: first on %(first)s by %(first_actor)s; this "
                    "very content was imported on %(same)s."
                )
                % values
            )
        return (
            _(
                "%(file)s was imported before: first on %(first)s by %(first_actor)s; its "
                "content has changed since."
            )
            % values
        )
    if same is not None:
        return (
            ngettext(
                "%(file)s was imported before: first on %(first)s by %(first_actor)s, last on "
                "%(last)s by %(last_actor)s (%(count)d time); this very content was imported on "
                "%(same)s.",
                "%(file)s was imported before: first on %(first)s by %(first_actor)s, last on "
                "%(last)s by %(last_actor)s (%(count)d times); this very content was imported on "
                "%(same)s.",
                len(history),
            )
            % values
        )
    return (
        ngettext(
            "%(file)s was imported before: first on %(first)s by %(first_actor)s, last on "
            "%(last)s by %(last_actor)s (%(count)d time); its content has changed since.",
            "%(file)s was imported before: first on %(first)s by %(first_actor)s, last on "
            "%(last)s by %(last_actor)s (%(count)d times); its content has changed since.",
            len(history),
        )
        % values
    )


def _plan_kind(
    store: GraphStore,
    plan: ImportPlan,
    kind: RecordKind,
    records: RecordList,
    sheet: SheetRows,
    history: list[ImportEntry],
    by_imports: set[int],
    by_this_file: set[int],
) -> None:
    # A row without a date of its own is as old as the file, or as its first import; a
    # row's own date says when its values were true, and a file saved earlier holds
    # nothing newer than itself.
    reference = _earliest(_saved(sheet) + _first_import(history))
    ids = records.column("id")
    stored = store.get_many(kind, ids)
    fields_of = functools.cache(sheet.fields)
    present = fields_of(sheet.present)
    data_fields = [name for name in kind.model.data_fields() if name != "id"]
    label = next((f for f in ("name", "title") if f in records.fields), None)
    # A re-imported record is most often unchanged: its fields compared as one tuple.
    values_of = operator.attrgetter(*data_fields)
    incoming_values = records.rows(data_fields)
    # Per stored record: its position, and the fields the file would write or keeps.
    candidates: list[tuple[int, Record, Record, dict[str, Outcome]]] = []
    fresh: list[int] = []
    for position, record_id in enumerate(ids):
        before = stored.get(record_id)
        if before is None:
            fresh.append(position)
            continue
        old_values, new_values = values_of(before), incoming_values[position]
        if old_values == new_values:
            plan.unchanged[kind].append(record_id)
            continue
        incoming = records[position]
        given = fields_of(sheet.given[position])
        wanted: dict[str, Outcome] = {}
        for name, old, new in zip(data_fields, old_values, new_values, strict=True):
            if old == new:
                continue
            if name in given:
                wanted[name] = Outcome.CHANGED
            elif name in present:
                if plan.clear_empty:
                    wanted[name] = Outcome.EMPTIED
                elif _filled(old):
                    wanted[name] = Outcome.KEPT
        if wanted:
            candidates.append((position, before, incoming, wanted))
        else:
            plan.unchanged[kind].append(record_id)
    stamps = store.field_changes(
        kind,
        [
            ids[p]
            for p, _before, _incoming, wanted in candidates
            if any(o is not Outcome.KEPT for o in wanted.values())
        ],
    )
    changed: list[Record] = []
    for position, before, incoming, wanted in candidates:
        record_id, row = ids[position], sheet.numbers[position]
        name = getattr(before, label) if label else record_id
        given = fields_of(sheet.given[position])
        own = _row_date(incoming, given)
        row_reference = (
            _earliest([_Reference(moment(own[0]), "row", own[0], own[1])] + _saved(sheet))
            if own
            else reference
        )
        applied: dict[str, Any] = {}
        for field_name, outcome in wanted.items():
            old, new = getattr(before, field_name), getattr(incoming, field_name)
            why = ""
            if outcome is not Outcome.KEPT:
                stamp = stamps.get(record_id, {}).get(field_name)
                why = _newer(stamp, row_reference, by_imports, by_this_file)
                if why:
                    outcome = Outcome.OVERWRITTEN if plan.overwrite_conflicts else Outcome.CONFLICT
            if outcome in WRITTEN:
                applied[field_name] = new
            plan.fields.append(
                FieldChange(
                    kind,
                    record_id,
                    name,
                    field_name,
                    before=old,
                    in_file=new if field_name in given else None,
                    after=new if outcome in WRITTEN else old,
                    outcome=outcome,
                    file=sheet.file,
                    row=row,
                    why=why,
                )
            )
        if not applied:
            plan.unchanged[kind].append(record_id)
            continue
        merged = _merged(kind, before, applied, sheet.file, row, plan.errors)
        if merged is not None:
            plan.updated[kind].append(record_id)
            changed.append(merged)
    plan.new[kind] = [ids[p] for p in fresh]
    plan.new_rows[kind] = [sheet.numbers[p] for p in fresh]
    written = records.select(fresh)
    for record in changed:
        written.append(record)
    plan.batch[kind] = written


def _newer(
    stamp: FieldStamp | None,
    reference: _Reference,
    by_imports: set[int],
    by_this_file: set[int],
) -> str:
    """Why the stored value is newer than the file's (a conflict), or "" when it is not.

    A value last set by an import of this same file is the file's own; one set after the
    file's date by anything else is newer. Without a date, only an edit (not an import)
    counts as newer.
    """
    if stamp is None or stamp.revision in by_this_file:
        return ""
    values = {"actor": stamp.actor, "at": _day(stamp.at), "date": reference.day}
    if reference.at is None:
        if stamp.revision in by_imports:
            return ""
        return (
            _("changed in the store by %(actor)s on %(at)s; netmap cannot tell the file's date")
            % values
        )
    if reference.revision is not None:
        newer = stamp.revision > reference.revision
    else:
        newer = moment(stamp.at) > reference.at
    if not newer:
        return ""
    if reference.what == "row":
        # Translators: %(column)s is the spreadsheet's column the date is in (last_verified
        # or reported_on), as the file names it.
        return _(
            "changed in the store by %(actor)s on %(at)s, after the row's date, %(date)s "
            "(its %(column)s)"
        ) % {**values, "column": reference.column}
    if reference.what == "first_import":
        return (
            _(
                "changed in the store by %(actor)s on %(at)s, after this file's first import, "
                "%(date)s"
            )
            % values
        )
    return (
        _("changed in the store by %(actor)s on %(at)s, after the file's date, %(date)s") % values
    )


def _merged(
    kind: RecordKind,
    before: Record,
    applied: dict[str, Any],
    file: str,
    row: int,
    errors: list[Problem],
) -> Record | None:
    """The stored record with the file's accepted values, validated as a whole (a kept
    value and a new one must still make a valid record); None, with the problems added to
    ``errors``, when they do not."""

    try:
        merged = kind.model.model_validate({**before.data(), **applied})
    except ValidationError as exc:
        for problem in pydantic_problems(file, row, exc):
            errors.append(
                Problem(
                    problem.file,
                    problem.row,
                    problem.field,
                    _(
                        "%(problem)s (in the record as the import would leave it: the file's "
                        "values, and the store's where the file leaves them as they are)"
                    )
                    % {"problem": problem.message},
                )
            )
        return None
    return merged.model_copy(update={"version": before.version, "updated_at": before.updated_at})


def write_import(store: GraphStore, plan: ImportPlan, progress: Progress | None = None) -> Plan:
    """Write what ``plan`` says, all or nothing, and add it to the import history.

    Raises :class:`ValidationFailed` when the plan has errors, and ``Conflict`` when the
    store changed since the plan was made (nothing is written: plan again). ``progress``
    hears (records written, records in all).
    """
    if plan.errors:
        raise ValidationFailed(plan.errors)
    written = store.write(
        plan.batch,
        progress=progress,
        expected_revision=plan.revision,
        imported=plan.imported if plan.imported.source else None,
    )
    plan.written = written
    return written


__all__ = [
    "FRAME_HEADERS",
    "ROW_COLUMNS",
    "TABLE_NAMES",
    "FieldChange",
    "ImportPlan",
    "Outcome",
    "frame_header",
    "plan_import",
    "table_name",
    "write_import",
]
