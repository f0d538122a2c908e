"""Records named by name instead of id: a commission's sheet says "ARSIS, Thessaloniki".

A tie may name its two ends by institution name and city (``source_name``,
``source_city``, ``target_name``, ``target_city``) instead of ``source_id`` and
``target_id``; a contact its institution (``institution_name``, ``institution_city``), a
participation its institution and its initiative (``initiative_name``). Names are
matched after folding (case, accents and script: ``Ниш`` is ``Niš`` is ``NIS``), first
against names and local names, then against acronyms, among the institutions of the
same import (every row, so that a tie to a row that failed says so) and of the store.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from netmap.errors import Problem
from netmap.io.reader import RawTable, RawTables
from netmap.model import Record, RecordKind, clean_name, clean_text, derive_id
from netmap.model import name_key as fold
from netmap.suggestions import closest, not_found

# The kinds that may be named, and whether a city tells equal names apart.
_NAMED_KINDS = {RecordKind.INSTITUTION: True, RecordKind.INITIATIVE: False}
# Shown in an ambiguity, at most.
_SHOWN = 6


@dataclass(frozen=True)
class NameColumns:
    """The columns that name the record a reference column refers to."""

    name: str
    city: str | None


def name_columns(kind: RecordKind) -> dict[str, NameColumns]:
    """The reference columns of ``kind`` that may be given by name, and those columns:
    ``{"source_id": NameColumns("source_name", "source_city"), …}`` for ties."""
    named = {}
    for column, target in kind.references.items():
        if target in _NAMED_KINDS:
            stem = column.removesuffix("_id")
            city = f"{stem}_city" if _NAMED_KINDS[target] else None
            named[column] = NameColumns(f"{stem}_name", city)
    return named


def extra_columns(kind: RecordKind) -> list[str]:
    """The naming columns ``kind``'s table may have besides its fields."""
    return [
        column
        for named in name_columns(kind).values()
        for column in (named.name, named.city)
        if column
    ]


@dataclass(frozen=True)
class _Candidate:
    id: str
    name: str
    city: str | None
    where: str  # "in the store", or the file and row it is on


def _directory(
    kind: RecordKind, table: RawTable | None, stored: list[Record]
) -> tuple[dict[str, list[_Candidate]], dict[str, list[_Candidate]], list[_Candidate]]:
    """Index the records of ``kind`` by folded name (and local name) and by acronym."""
    by_name: dict[str, list[_Candidate]] = defaultdict(list)
    by_acronym: dict[str, list[_Candidate]] = defaultdict(list)
    every: list[_Candidate] = []

    def add(candidate: _Candidate, names: Iterable[Any], acronym: Any) -> None:
        every.append(candidate)
        for text in names:
            text = clean_name(text)
            if isinstance(text, str):
                by_name[fold(text)].append(candidate)
        acronym = clean_name(acronym)
        if isinstance(acronym, str):
            by_acronym[fold(acronym)].append(candidate)

    in_batch: set[str] = set()
    if table is not None:
        for number, row in zip(table.numbers, zip(*table.cells, strict=True), strict=True):
            cells = dict(zip(table.columns, row, strict=True))
            record_id = clean_text(cells.get("id")) or derive_id(kind, cells)
            name = clean_name(cells.get("name"))
            if not isinstance(record_id, str) or not isinstance(name, str):
                continue
            in_batch.add(record_id)
            city = clean_name(cells.get("city"))
            add(
                _Candidate(
                    record_id, name, city if isinstance(city, str) else None, f"row {number}"
                ),
                [name, cells.get("name_local")],
                cells.get("acronym"),
            )
    for record in stored:
        if record.id in in_batch:
            continue
        add(
            _Candidate(
                record.id,
                getattr(record, "name", ""),
                getattr(record, "city", None),
                "in the store",
            ),
            [getattr(record, "name", None), getattr(record, "name_local", None)],
            getattr(record, "acronym", None),
        )
    return by_name, by_acronym, every


def _listed(candidates: list[_Candidate]) -> str:
    shown = [f"{c.id} ({c.city})" if c.city else c.id for c in candidates[:_SHOWN]]
    more = f", … {len(candidates)} in all" if len(candidates) > _SHOWN else ""
    return ", ".join(shown) + more


def _did_you_mean(value: str, options: Iterable[str]) -> str:
    close = [repr(match) for match in closest(value, options)]
    if not close:
        return ""
    return "; did you mean " + (
        f"{', '.join(close[:-1])} or {close[-1]}?" if len(close) > 1 else f"{close[0]}?"
    )


def _resolve(
    label: str,
    name: str,
    city: str | None,
    columns: NameColumns,
    index: tuple[dict[str, list[_Candidate]], dict[str, list[_Candidate]], list[_Candidate]],
) -> tuple[str | None, str | None]:
    """The id ``name`` (in ``city``) means, or the problem with it, as (id, message)."""
    by_name, by_acronym, every = index
    key = fold(name)
    matches = list({c.id: c for c in by_name.get(key) or by_acronym.get(key) or []}.values())
    if city:
        here = [c for c in matches if c.city and fold(c.city) == fold(city)]
        if len(here) == 1:
            return here[0].id, None
        if len(here) > 1:
            return None, (
                f"{name!r} in {city} names {len(here)} {label}s ({_listed(here)}): "
                f"write the one you mean in {columns.name.removesuffix('_name')}_id"
            )
        if matches:
            return None, (
                f"no {label} named {name!r} in {city}; "
                f"{'it is' if len(matches) == 1 else 'there are'} {_listed(matches)}"
            )
        in_city = [c.name for c in every if c.city and fold(c.city) == fold(city)]
        if in_city:
            return None, str(
                not_found(label, name, in_city, where=f"in {city}", listing=f"in {city}", show=8)
            )
        return None, f"unknown {label} {name!r} in {city}" + _did_you_mean(
            name, (c.name for c in every)
        )
    if len(matches) == 1:
        return matches[0].id, None
    if matches:
        hint = f"add {columns.city}, or write" if columns.city else "write"
        stem = columns.name.removesuffix("_name")
        return None, (
            f"{name!r} names {len(matches)} {label}s ({_listed(matches)}): "
            f"{hint} the one you mean in {stem}_id"
        )
    return None, f"unknown {label} {name!r}" + _did_you_mean(name, (c.name for c in every))


def stand_in(column: str) -> str:
    """What the id cell ``column`` holds in a row whose name was not found: a valid id of
    its own (so that the row's other cells are still checked, and its two ends still
    differ), never a record's; the row is then left out as failed."""
    return f"netmap-unresolved:{column}"


def resolve_names(
    raw: RawTables, stored: Callable[[RecordKind], list[Record]]
) -> tuple[list[Problem], dict[RecordKind, set[int]]]:
    """Fill the id cells of references given by name, in ``raw``'s tables.

    ``stored(kind)`` returns the store's records of a kind. Returns the problems found
    (``FILE:ROW: source_name: …``: an unknown name, with the closest names; one that
    names several records; one that contradicts the id beside it) and, per kind, the
    rows that failed because of them: their id cells hold a :func:`stand_in`.
    """
    problems: list[Problem] = []
    failed: dict[RecordKind, set[int]] = defaultdict(set)
    indexes: dict[RecordKind, Any] = {}
    for kind, table in raw.tables.items():
        for column, columns in name_columns(kind).items():
            if columns.name not in table.columns:
                continue
            target = kind.references[column]
            if target not in indexes:
                indexes[target] = _directory(target, raw.tables.get(target), stored(target))
            if column not in table.columns:
                table.columns.append(column)
                table.cells.append([None] * len(table))
            ids = table.cells[table.columns.index(column)]
            names = table.cells[table.columns.index(columns.name)]
            cities = (
                table.cells[table.columns.index(columns.city)]
                if columns.city in table.columns
                else [None] * len(table)
            )
            label = target.label.lower()
            for position, (number, written, name, city) in enumerate(
                zip(table.numbers, ids, names, cities, strict=True)
            ):
                name, city = clean_name(name), clean_name(city)
                if not isinstance(name, str):
                    continue
                found, problem = _resolve(
                    label, name, city if isinstance(city, str) else None, columns, indexes[target]
                )
                written = clean_text(written)
                if problem is None and written and written != found:
                    problem = f"{name!r} is {label} {found!r}, but {column} says {written!r}"
                if problem is not None:
                    problems.append(Problem(table.file, number, columns.name, problem))
                    failed[kind].add(number)
                    ids[position] = stand_in(column)
                else:
                    ids[position] = found
    return problems, failed
