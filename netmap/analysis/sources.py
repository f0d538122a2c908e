"""How far the data reaches: which sources cover a place, about what, and so how sure a gap
finding can be.

A gap is an absence in the records, and an absence in the records is not an absence in
the world. Each source (a row of the ``sources`` table) says which places it is about,
what it records there (``covers``: actors, members, participants, services, ties,
contacts, funding), which sectors were within its scope, and what of that it claims to
list in full (``complete``). From that, every finding gets a grade:

- ``confirmed`` — *confirmed by a source*: a source that covers the place claims to list
  every such record there (an official directory, a network's composition), and the one
  in question is not among them;
- ``not_recorded`` — *not recorded*: the sources of the place could have recorded it and
  do not, but none claims to be complete (a seminar's participants, a project report),
  or what a source covers is not known (a source named in a record but not described in
  the sources table);
- ``outside_coverage`` — *outside what the sources cover*: every known source of the place
  was about something else (a list of members says nothing about who works with whom).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from netmap.errors import NotFound
from netmap.i18n import N_, gettext
from netmap.model import RecordKind, name_key
from netmap.places import Places
from netmap.store.base import Network

Grade = Literal["confirmed", "not_recorded", "outside_coverage"]

#: Each grade as a finding's ``why`` states it, in English (``gettext`` gives it in the
#: current language).
GRADE_LABELS: dict[Grade, str] = {
    "confirmed": N_("confirmed by a source"),
    "not_recorded": N_("not recorded"),
    "outside_coverage": N_("outside what the sources cover"),
}

#: What a finding is about, and what a source must cover to have recorded it.
Fact = Literal["actors", "services", "ties"]
RECORDED_BY: dict[str, frozenset[str]] = {
    "actors": frozenset({"actors", "members", "participants"}),
    "services": frozenset({"services"}),
    "ties": frozenset({"ties", "members"}),
}
#: What a complete source must cover to confirm an absence: a complete list of an event's
#: participants does not say who else is there.
CONFIRMED_BY: dict[str, frozenset[str]] = {
    "actors": frozenset({"actors", "members"}),
    "services": frozenset({"services"}),
    "ties": frozenset({"ties"}),
}
# The kinds of record whose ``source`` cells are counted per place.
_PLACED_KINDS = (
    RecordKind.INSTITUTION, RecordKind.TIE, RecordKind.PARTICIPATION, RecordKind.CONTACT,
)  # fmt: skip


@dataclass(frozen=True)
class SourceInfo:
    """A registered source, as the grading reads it."""

    id: str
    title: str
    about: str | None
    covers: frozenset[str]
    sectors: frozenset[str]
    complete: frozenset[str]  # what of ``covers`` it claims to list in full
    countries: frozenset[str]
    cities: frozenset[tuple[str, str]]  # (country, name key)

    def to_json(self, records: int | None = None) -> dict[str, Any]:
        found: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "about": self.about,
            "covers": sorted(self.covers),
            "sectors": sorted(self.sectors),
            "complete": sorted(self.complete),
        }
        if records is not None:
            found["records"] = records
        return found


def _cells(value: Any) -> list[str]:
    """The source ids (or free texts) a ``source`` cell names, ``;``-separated."""
    if not isinstance(value, str):
        return []
    return [item.strip() for item in value.split(";") if item.strip()]


@dataclass
class SourceCoverage:
    """Which sources cover each place of a network, and the grades of gaps found there.

    Build it once per network (:meth:`build`); a *place* is a city key
    (``"RS:Niš"``, see :class:`netmap.graph.City`) or a country code.
    """

    sources: dict[str, SourceInfo]
    # per city key: how many records located there cite each source (registered or not)
    cited: dict[str, Counter] = field(default_factory=dict)
    _grades: dict[tuple, tuple[Grade, list[str]]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, network: Network, places: Places, place_of: dict[str, str]) -> SourceCoverage:
        """Read the sources table and count, per city, the sources its records cite.

        ``place_of`` maps each institution id to its city key (ties count at both ends'
        places, participations and contacts at their institution's).
        """
        sources = {}
        for row in network.sources.to_dict("records") if len(network.sources) else []:
            countries = frozenset(row.get("countries") or ())
            cities = frozenset(
                (country, name_key(city))
                for city in (row.get("cities") or ())
                for country in (countries or {c.country for c in _resolve(places, city)})
            )
            sources[row["id"]] = SourceInfo(
                id=row["id"],
                title=row.get("title") or row["id"],
                about=row.get("about"),
                covers=frozenset(row.get("covers") or ()),
                sectors=frozenset(row.get("sectors") or ()),
                complete=frozenset(row.get("complete") or ()),
                countries=countries | {country for country, _ in cities},
                cities=cities,
            )
        cited: dict[str, Counter] = {}
        for kind in _PLACED_KINDS:
            frame = network[kind]
            if "source" not in frame.columns or not len(frame):
                continue
            for (ends, source), count in _placed_sources(frame, kind, place_of).items():
                for item in _cells(source):
                    for place in ends:
                        cited.setdefault(place, Counter())[item] += count
        return cls(sources=sources, cited=cited)

    # --- which sources reach a place ----------------------------------------------------

    def covering(self, places: Iterable[str]) -> list[SourceInfo]:
        """The registered sources about any of ``places`` (city keys), in id order: those
        whose countries and cities name it, and those that give no place of their own but
        are cited by records located there."""
        places = list(places)
        found = {}
        for source in self.sources.values():
            if any(self._covers_place(source, place) for place in places):
                found[source.id] = source
        for place in places:
            for item in self.cited.get(place, ()):
                cited = self.sources.get(item)
                if cited is not None and not cited.countries:
                    found[cited.id] = cited
        return [found[key] for key in sorted(found)]

    def _covers_place(self, source: SourceInfo, place: str) -> bool:
        country, _, city = place.partition(":")
        if country not in source.countries:
            return False
        named = {key for c, key in source.cities if c == country}
        return not named or name_key(city) in named

    def unregistered(self, places: Iterable[str]) -> Counter:
        """The sources named by records of ``places`` that the sources table does not
        describe (free text or a missing row), with how many records name each."""
        found: Counter = Counter()
        for place in places:
            for item, count in self.cited.get(place, Counter()).items():
                if item not in self.sources:
                    found[item] += count
        return found

    # --- grades -------------------------------------------------------------------------

    def grade(
        self, fact: Fact, places: Iterable[str], sector: str | None = None
    ) -> tuple[Grade, list[str]]:
        """How sure an absence of ``fact`` (of ``sector``) in ``places`` is, and the ids of
        the sources that decide it (see the module's docstring)."""
        key = (fact, tuple(places), sector)
        if key not in self._grades:
            self._grades[key] = self._grade(*key)
        return self._grades[key]

    def _grade(
        self, fact: Fact, places: tuple[str, ...], sector: str | None
    ) -> tuple[Grade, list[str]]:
        covering = self.covering(places)
        relevant = [
            s
            for s in covering
            if s.covers & RECORDED_BY[fact]
            and (sector is None or not s.sectors or sector in s.sectors)
        ]
        complete = [s.id for s in relevant if s.complete & CONFIRMED_BY[fact]]
        if complete:
            return "confirmed", complete
        if relevant:
            return "not_recorded", [s.id for s in relevant]
        if self.unregistered(places) or not covering:
            return "not_recorded", []
        return "outside_coverage", [s.id for s in covering]

    # --- what a scope's report says about its sources --------------------------------------

    def report(
        self, places: Iterable[str], records: dict[str, int], evidence: dict[str, int]
    ) -> dict[str, Any]:
        """The coverage of a scope made of ``places``: its sources (with how many of the
        scope's records cite each), the sources named but not described, and the record and
        evidence counts given."""
        places = list(places)
        cites: Counter = Counter()
        for place in places:
            cites.update(self.cited.get(place, Counter()))
        return {
            "sources": [s.to_json(records=cites.get(s.id, 0)) for s in self.covering(places)],
            "unregistered_sources": dict(sorted(self.unregistered(places).items())),
            "records": records,
            "evidence": evidence,
        }


def _resolve(places: Places, city: str) -> list:
    """The cities called ``city``; none when the network has none (a source may name a
    city no record is located in)."""
    try:
        return places.resolve(city)
    except NotFound:
        return []


def _placed_sources(frame: pd.DataFrame, kind: RecordKind, place_of: dict[str, str]) -> Counter:
    """Count the records of ``frame`` by the city keys they are located at (a tie at both
    ends' places) and their source cell: a million ties name a few sources and places."""
    if kind is RecordKind.TIE:
        ends = zip(frame["source_id"].map(place_of), frame["target_id"].map(place_of), strict=True)
        located = [tuple(sorted({p for p in pair if isinstance(p, str)})) for pair in ends]
    else:
        column = "id" if kind is RecordKind.INSTITUTION else "institution_id"
        located = [(p,) if isinstance(p, str) else () for p in frame[column].map(place_of)]
    return Counter(zip(located, frame["source"].tolist(), strict=True))


def source_titles(network: Network) -> dict[str, str]:
    """Each registered source's title, by id (to show sources by title, not by id)."""
    sources = network.sources
    return dict(zip(sources["id"], sources["title"], strict=True)) if len(sources) else {}


def cited(source: str | None, titles: dict[str, str]) -> str:
    """A ``source`` cell in words: each registered source by its title, the rest as written."""
    return "; ".join(titles.get(item, item) for item in _cells(source))


def how_known(record: Mapping[Any, Any], titles: dict[str, str]) -> str:
    """How a record is known, in one sentence for a profile: its evidence and what backs it
    (the quote and where it stands, who reported it and when, what it is inferred from)."""
    evidence = record.get("evidence") or "reported"
    source = cited(record.get("source"), titles)
    if evidence == "documented":
        where = ", ".join(filter(None, [source, record.get("quote_location")]))
        text = gettext("Documented: «%(quote)s»") % {"quote": record.get("quote") or ""}
        return text + (f" ({where})" if where else "")
    if evidence == "inferred":
        text = gettext("Inferred from: %(what)s") % {
            "what": record.get("inferred_from") or gettext("not said")
        }
        return text + (f" ({source})" if source else "")
    if evidence == "modelled":
        return gettext(
            "Modelled: an illustration, not a fact; left out of analyses unless asked for"
        )
    who = ", ".join(filter(None, [record.get("reported_by"), record.get("reported_on")]))
    text = (
        gettext("Reported by %(who)s") % {"who": who}
        if who
        else gettext("Reported (by whom not recorded)")
    )
    return text + (gettext("; source: %(source)s") % {"source": source} if source else "")
