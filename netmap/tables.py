"""Tables as people read them: human headers, dates in words, no internal structures.

Every table the app shows, and every CSV it offers to download from one, goes through
:func:`readable`: ``last_verified`` becomes "Last verified", ``2026-12-03`` becomes
"3 Dec 2026" (``2013-06`` "Jun 2013", ``2013`` stays), lists are joined, nested values
written out as text, institution ids become names, taxonomy keys their labels, and
sources are cited by title, publisher and date (:func:`citation`) instead of their ids,
which are often file names. The table format of imports and exports and the command
line's ``--json`` keep their own column names and ISO dates: they are for machines and
for importing again.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd

from netmap.codes import country_name, language_name
from netmap.store.base import Network, iter_rows
from netmap.taxonomy import load_taxonomy

#: Column names as people read them; a column not listed reads as its name in words
#: (``peers_with_it`` -> "Peers with it").
HEADERS: dict[str, str] = {
    "id": "Id",
    "name": "Name",
    "name_local": "Local name",
    "title": "Title",
    "publisher": "Publisher",
    "published": "Published",
    "url": "Link",
    "institution_id": "Institution",
    "institution_name": "Institution",
    "initiative_id": "Initiative",
    "source_id": "From",
    "target_id": "To",
    "country": "Country",
    "countries": "Countries",
    "city": "City",
    "place": "Place",
    "level": "Level",
    "sector": "Sector",
    "sector_label": "Sector",
    "sectors": "Sectors",
    "labels": "Sectors",
    "kind": "Kind",
    "stage": "Stage",
    "stage_label": "Stage",
    "stages": "Stages",
    "from_stage": "From stage",
    "to_stage": "To stage",
    "from_actors": "Who carries the first stage",
    "elsewhere_in_country": "Elsewhere in the country",
    "expected_by_model": "Expected by the model",
    "basis": "Basis",
    "peers_with_it": "Peer networks with one",
    "peers": "Peer networks",
    "why": "Why",
    "grade_label": "How sure",
    "sources": "Sources",
    "source": "Source",
    "last_verified": "Last verified",
    "months": "Months since verified",
    "months_since": "Months since verified",
    "cut_off": "Would be cut off",
    "broken_handovers": "Hand-overs that would break",
    "degree": "Partners",
    "ties": "Ties",
    "betweenness": "Betweenness",
    "pagerank": "PageRank",
    "community": "Community",
    "core_number": "Core number",
    "articulation": "Cut point",
    "sector_brokerage": "Sector pairs it links",
    "country_brokerage": "Country pairs it links",
    "reachable": "Reachable",
    "hops": "Steps",
    "distance": "Trust distance",
    "path": "Path",
    "via_return_actor": "Return prepared by",
    "languages": "Languages",
    "email": "E-mail",
    "phone": "Phone",
    "website": "Website",
    "address": "Address",
    "role": "Role",
    "focal_point": "Focal point",
    "at": "When",
    "created_at": "Added",
    "updated_at": "Last changed",
    "actor": "Who",
    "action": "What",
    "record_id": "Record",
    "table": "Table",
    "new": "New",
    "updated": "Updated",
    "unchanged": "Unchanged",
    "since": "Since",
    "until": "Until",
    "start": "Start",
    "end": "End",
    "collected_on": "Collected on",
    "informed_on": "Told they are listed on",
    "reported_on": "Reported on",
    "reported_by": "Reported by",
    "legal_basis": "Legal basis",
    "verified_by": "Verified by",
    "evidence": "How it is known",
    "quote": "Quote",
    "quote_location": "Where in the source",
    "inferred_from": "Inferred from",
    "lat": "Latitude",
    "lon": "Longitude",
}
#: Columns of partial dates (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) and of moments.
DATE_COLUMNS = frozenset(
    {
        "last_verified", "since", "until", "start", "end", "published", "collected_on",
        "informed_on", "reported_on",
    }
)  # fmt: skip
MOMENT_COLUMNS = frozenset({"at", "created_at", "updated_at"})
#: Columns that hold institution ids, alone or in lists.
INSTITUTION_COLUMNS = frozenset(
    {"institution_id", "source_id", "target_id", "from_actors", "cut_off", "path",
     "via_return_actor", "from_id"}
)  # fmt: skip
#: Columns left out when the column after the arrow says the same in words.
SAID_BETTER = {
    "grade": "grade_label",
    "stage": "stage_label",
    "sector": "sector_label",
    "sectors": "labels",
    "institution_id": "institution_name",
    "from_id": "path",
}
#: What a change-log entry did, in words.
ACTIONS = {
    "create": "added",
    "update": "changed",
    "delete": "deleted",
    "erase": "erased",
    "conflict": "conflict (not saved)",
}
_YES = "yes"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def header(column: str) -> str:
    """A column's header in words: from :data:`HEADERS`, else its name with spaces."""
    if column in HEADERS:
        return HEADERS[column]
    words = str(column).replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def human_date(value: Any) -> str:
    """A partial date as people write it: ``3 Dec 2026``, ``Jun 2013``, ``2013``.

    Takes ISO text (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``), a :class:`~datetime.date` or a
    moment (:func:`human_moment`); anything else comes back as written, and nothing as "".
    """
    if _missing(value):
        return ""
    if isinstance(value, datetime) or (isinstance(value, str) and "T" in value):
        return human_moment(value)
    if isinstance(value, date):
        return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    text = str(value).strip()
    found = _PARTIAL.fullmatch(text)
    if not found:
        return text
    year, month, day = found.groups()
    if month is None or not 1 <= int(month) <= 12:
        return year if month is None else text
    if day is None:
        return f"{_MONTHS[int(month) - 1]} {year}"
    return f"{int(day)} {_MONTHS[int(month) - 1]} {year}"


def human_moment(value: Any) -> str:
    """A moment (ISO timestamp) as ``3 Dec 2026, 15:07 UTC``; text that is not one comes
    back as written."""
    if _missing(value):
        return ""
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
        return f"{human_date(moment.date())}, {moment:%H:%M} UTC"
    return f"{human_date(moment.date())}, {moment:%H:%M}"


def web_link(value: Any) -> str | None:
    """``value`` if it is an http or https address, else None (never ``javascript:``,
    ``file:`` or a path)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    return text if re.match(r"(?i)https?://[^\s/]+", text) else None


def citation(source: Mapping[str, Any]) -> str:
    """A source (a row of the sources table) as people cite it: its title, then its
    publisher and date when known, then its web address when it has one (http/https).

    ``Project “Local communities…” (Atina, 2013) https://…``
    """
    title = source.get("title") or source.get("id") or ""
    said = [source.get("publisher"), human_date(source.get("published"))]
    text = str(title) + (f" ({', '.join(str(s) for s in said if s)})" if any(said) else "")
    link = web_link(source.get("url"))
    return f"{text} {link}" if link else text


@dataclass(frozen=True)
class TableWords:
    """What :func:`readable` needs from a network to put names where tables hold ids:
    institution names and source citations, by id (:meth:`of`)."""

    names: Mapping[str, str] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, network: Network) -> TableWords:
        """The names of ``network``'s institutions and the citations of its sources."""
        institutions = network.institutions
        names = dict(zip(institutions["id"], institutions["name"], strict=True))
        sources = network.sources
        cited = (
            {
                str(row["id"]): citation({str(k): v for k, v in row.items()})
                for row in iter_rows(sources)
            }
            if len(sources) and "title" in sources.columns
            else {}
        )
        return cls(names=names, sources=cited)

    def institution(self, value: Any) -> str:
        return self.names.get(value, value) if isinstance(value, str) else cell_text(value)

    def source(self, value: Any) -> str:
        """A ``source`` cell (ids separated by ``;``) with each registered id cited."""
        if _missing(value):
            return ""
        items = value if isinstance(value, list | tuple) else str(value).split(";")
        return "; ".join(self.sources.get(i.strip(), i.strip()) for i in items if i.strip())


def readable(
    frame: pd.DataFrame,
    words: TableWords | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    drop: Iterable[str] = (),
) -> pd.DataFrame:
    """Return ``frame`` as people read it (a new frame; ``frame`` is not changed).

    Columns named in :data:`SAID_BETTER` are left out where their words are there too,
    and so are ``drop``. Each cell is written for its column: dates and moments in words
    (:func:`human_date`), taxonomy keys as labels, country codes as names, institution
    ids as names and source ids as citations (with ``words``), yes/no for flags, lists
    joined with commas, nested values as ``Label: value`` text; numbers stay numbers
    (rounded where many digits say nothing). Headers come from ``headers``, then
    :data:`HEADERS`, then the name in words.
    """
    words = words or TableWords()
    dropped = set(drop) | {c for c, better in SAID_BETTER.items() if better in frame.columns}
    shown = frame[[c for c in frame.columns if c not in dropped]].copy()
    for column in shown.columns:
        write = _writer(str(column), words)
        values = shown[column]
        if write is not None:
            shown[column] = [write(v) for v in values]
        elif values.dtype == bool or not pd.api.types.is_numeric_dtype(values):
            shown[column] = pd.Series(
                [cell_text(v) for v in values], index=values.index, dtype=object
            )
        elif values.isna().any():
            # a missing number reads as nothing, not as "None" or "nan"; counts stay whole,
            # and the column is text throughout (a table holds one type per column)
            shown[column] = pd.Series(
                ["" if _missing(v) else _number_text(v) for v in values],
                index=values.index,
                dtype=object,
            )
    names = {**HEADERS, **(headers or {})}
    shown.columns = [names.get(str(c), header(str(c))) for c in shown.columns]
    return shown


def _writer(column: str, words: TableWords) -> Callable[[Any], Any] | None:
    """How to write a cell of ``column``, or None for plain text and numbers."""
    taxonomy = load_taxonomy()
    stage_labels = {key: stage.label for key, stage in taxonomy.stages.items()}
    if column in DATE_COLUMNS:
        return lambda v: "never" if column == "last_verified" and _missing(v) else human_date(v)
    if column in MOMENT_COLUMNS:
        return human_moment
    if column == "action":
        return lambda v: ACTIONS.get(v, cell_text(v))
    if column in INSTITUTION_COLUMNS:
        return lambda v: _joined(v, words.institution)
    if column in ("source", "sources"):
        return words.source
    if column in ("sector", "sectors"):
        return lambda v: _joined(v, lambda k: taxonomy.label("sectors", k))
    if column in ("stage", "from_stage", "to_stage", "stages"):
        return lambda v: _joined(v, lambda k: stage_labels.get(k, k))
    if column in ("country", "countries"):
        return lambda v: _joined(v, lambda c: country_name(c) if len(str(c)) == 2 else c)
    if column == "languages":
        return lambda v: _joined(v, language_name)
    if column in ("betweenness", "pagerank"):
        return lambda v: None if _missing(v) else round(float(v), 4)
    if column == "distance":
        return lambda v: None if _missing(v) else round(float(v), 2)
    if column == "broken_handovers":
        return lambda v: _joined(v, lambda item: _handover(item, stage_labels))
    return None


def _joined(value: Any, each: Callable[[Any], Any]) -> str:
    """A cell that may hold one value or a list of them, each written by ``each``."""
    if _missing(value):
        return ""
    if isinstance(value, str) and ";" in value:
        value = [item.strip() for item in value.split(";")]
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(cell_text(each(item))) for item in value if not _missing(item))
    return str(cell_text(each(value)))


def _handover(item: Any, stage_labels: Mapping[str, str]) -> str:
    """A hand-over (``{place, from_stage, to_stage}``) as ``Greece: A → B``."""
    if not isinstance(item, Mapping):
        return str(cell_text(item))
    step = " → ".join(
        stage_labels.get(str(item.get(end)), str(cell_text(item.get(end))))
        for end in ("from_stage", "to_stage")
    )
    return f"{item['place']}: {step}" if item.get("place") else step


def cell_text(value: Any) -> Any:
    """A cell as people read it: nothing for a missing value, flags as yes or nothing,
    lists joined with commas, nested values as ``Label: value`` pairs; numbers and text
    as they are."""
    if _missing(value):
        return ""
    if isinstance(value, bool | np.bool_):
        return _YES if value else ""
    if isinstance(value, Mapping):
        return "; ".join(
            f"{header(str(k))}: {cell_text(v)}" for k, v in value.items() if not _missing(v)
        )
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(cell_text(v)) for v in value if not _missing(v))
    return value


def _number_text(value: Any) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:g}"


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()
