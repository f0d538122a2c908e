"""Tables as people read them: human headers, dates in words, no internal structures.

Every table the app shows, and every CSV it offers to download from one, goes through
:func:`readable`: ``last_verified`` becomes "Last verified", ``2026-12-03`` becomes
"3 Dec 2026" (``2013-06`` "Jun 2013", ``2013`` stays), lists are joined, nested values
written out as text, institution ids become names, taxonomy keys their labels, and
sources are cited by title, publisher and date (:func:`citation`) instead of their ids,
which are often file names. Headers, words and dates are in the current language
(:mod:`netmap.i18n`): the headers are kept in English in :data:`HEADERS` and translated
when a table is made, since each session chooses its language. The table format of imports and exports and the command
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
from netmap.i18n import N_, babel_locale, format_date
from netmap.i18n import gettext as _
from netmap.store.base import Network, iter_rows
from netmap.taxonomy import load_taxonomy

#: Column names as people read them; a column not listed reads as its name in words
#: (``peers_with_it`` -> "Peers with it").
HEADERS: dict[str, str] = {
    "id": N_("Id"),
    "name": N_("Name"),
    "name_local": N_("Local name"),
    "title": N_("Title"),
    "publisher": N_("Publisher"),
    "published": N_("Published"),
    "url": N_("Link"),
    "institution_id": N_("Institution"),
    "institution_name": N_("Institution"),
    "initiative_id": N_("Initiative"),
    # Translators: a column header of ties: the institution a tie goes from
    "source_id": N_("From"),
    # Translators: a column header of ties: the institution a tie goes to
    "target_id": N_("To"),
    "country": N_("Country"),
    "countries": N_("Countries"),
    "city": N_("City"),
    "place": N_("Place"),
    "level": N_("Level"),
    "sector": N_("Sector"),
    "sector_label": N_("Sector"),
    "sectors": N_("Sectors"),
    "labels": N_("Sectors"),
    # Translators: a column header: the kind of an institution, tie or initiative
    "kind": N_("Kind"),
    "stage": N_("Stage"),
    "stage_label": N_("Stage"),
    "stages": N_("Stages"),
    "from_stage": N_("From stage"),
    "to_stage": N_("To stage"),
    "from_actors": N_("Who carries the first stage"),
    "elsewhere_in_country": N_("Elsewhere in the country"),
    "expected_by_model": N_("Expected by the model"),
    "basis": N_("Basis"),
    "peers_with_it": N_("Peer networks with one"),
    "peers": N_("Peer networks"),
    "why": N_("Why"),
    "grade_label": N_("How sure"),
    "sources": N_("Sources"),
    "source": N_("Source"),
    "last_verified": N_("Last verified"),
    "months": N_("Months since verified"),
    "months_since": N_("Months since verified"),
    "cut_off": N_("Would be cut off"),
    "broken_handovers": N_("Hand-overs that would break"),
    # Translators: a column header: how many partners an institution has (its degree)
    "degree": N_("Partners"),
    "ties": N_("Ties"),
    "betweenness": N_("Betweenness"),
    "pagerank": N_("PageRank"),
    "community": N_("Community"),
    "core_number": N_("Core number"),
    # Translators: a column header: whether an institution's departure splits the network
    "articulation": N_("Cut point"),
    "sector_brokerage": N_("Sector pairs it links"),
    "country_brokerage": N_("Country pairs it links"),
    "reachable": N_("Reachable"),
    "hops": N_("Steps"),
    "distance": N_("Trust distance"),
    "path": N_("Path"),
    "via_return_actor": N_("Return prepared by"),
    "languages": N_("Languages"),
    "email": N_("E-mail"),
    "phone": N_("Phone"),
    "website": N_("Website"),
    "address": N_("Address"),
    "role": N_("Role"),
    "focal_point": N_("Focal point"),
    # Translators: a column header of the change log: when a change was made
    "at": N_("When"),
    "created_at": N_("Added"),
    "updated_at": N_("Last changed"),
    # Translators: a column header of the change log: who made a change
    "actor": N_("Who"),
    # Translators: a column header of the change log: what was done (added, changed…)
    "action": N_("What"),
    "record_id": N_("Record"),
    "table": N_("Table"),
    # Translators: column headers of an import's summary: records new, updated, unchanged
    "new": N_("New"),
    "updated": N_("Updated"),
    "unchanged": N_("Unchanged"),
    "since": N_("Since"),
    "until": N_("Until"),
    "start": N_("Start"),
    "end": N_("End"),
    "collected_on": N_("Collected on"),
    "informed_on": N_("Told they are listed on"),
    "reported_on": N_("Reported on"),
    "reported_by": N_("Reported by"),
    "legal_basis": N_("Legal basis"),
    "verified_by": N_("Verified by"),
    "evidence": N_("How it is known"),
    "quote": N_("Quote"),
    "quote_location": N_("Where in the source"),
    "inferred_from": N_("Inferred from"),
    "lat": N_("Latitude"),
    "lon": N_("Longitude"),
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
    "create": N_("added"),
    "update": N_("changed"),
    "delete": N_("deleted"),
    "erase": N_("erased"),
    "conflict": N_("conflict (not saved)"),
}
_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def header(column: str) -> str:
    """A column's header in words: from :data:`HEADERS`, else its name with spaces."""
    if column in HEADERS:
        return _(HEADERS[column])
    words = str(column).replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def human_date(value: Any) -> str:
    """A partial date as people write it: ``3 Dec 2026``, ``Jun 2013``, ``2013`` (in the
    current language: ``3 Ιουν 2013``, ``јун 2013.``; Babel's patterns, :func:`_dated`).

    Takes ISO text (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``), a :class:`~datetime.date` or a
    moment (:func:`human_moment`); anything else comes back as written, and nothing as "".
    """
    if _missing(value):
        return ""
    if isinstance(value, datetime) or (isinstance(value, str) and "T" in value):
        return human_moment(value)
    if isinstance(value, date):
        return _dated(value, "yMMMd")
    text = str(value).strip()
    found = _PARTIAL.fullmatch(text)
    if not found:
        return text
    year, month, day = found.groups()
    if month is None or not 1 <= int(month) <= 12:
        return year if month is None else text
    if day is None:
        return _dated(date(int(year), int(month), 1), "yMMM")
    try:
        return _dated(date(int(year), int(month), int(day)), "yMMMd")
    except ValueError:  # 2013-02-30
        return text


def _dated(value: date, skeleton: str) -> str:
    """``value`` written as the current language writes the CLDR ``skeleton`` (``yMMMd``: day,
    month in short words where the language uses them, year; ``yMMM``: month and year)."""
    pattern = babel_locale().datetime_skeletons[skeleton]
    return format_date(value, format=pattern.pattern)


def human_moment(value: Any) -> str:
    """A moment (ISO timestamp) as ``3 Dec 2026, 15:07 UTC`` (the date in the current
    language); text that is not one comes back as written."""
    if _missing(value):
        return ""
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
        # Translators: a moment in a table: a date (3 Dec 2026), then a time (15:07) in UTC
        return _("%(date)s, %(time)s UTC") % {
            "date": human_date(moment.date()),
            "time": f"{moment:%H:%M}",
        }
    # Translators: a moment in a table: a date (3 Dec 2026), then a time (15:07)
    return _("%(date)s, %(time)s") % {"date": human_date(moment.date()), "time": f"{moment:%H:%M}"}


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
    (rounded where many digits say nothing). Headers come from ``headers`` (given as
    shown), then :data:`HEADERS` (translated), then the name in words.
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
    given = headers or {}
    shown.columns = [given[str(c)] if str(c) in given else header(str(c)) for c in shown.columns]
    return shown


def _writer(column: str, words: TableWords) -> Callable[[Any], Any] | None:
    """How to write a cell of ``column``, or None for plain text and numbers."""
    taxonomy = load_taxonomy()
    stage_labels = taxonomy.labels("stages")
    if column in DATE_COLUMNS:
        if column == "last_verified":
            # Translators: in a table's "Last verified" column: a record never verified
            return lambda v: _("never") if _missing(v) else human_date(v)
        return human_date
    if column in MOMENT_COLUMNS:
        return human_moment
    if column == "action":
        return lambda v: _(ACTIONS[v]) if v in ACTIONS else cell_text(v)
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
        # Translators: a table cell of a flag that is set (a cut point, a focal point)
        return _("yes") if value else ""
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
