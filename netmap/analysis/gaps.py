"""Gaps in referral pathways, measured against the model in ``data/pathway.toml``.

For a city, a country or the whole network: which pathway stages no recorded actor
carries, which sectors a local network lacks, which hand-overs between stages no recorded
tie carries, which sectors in one city are not recorded working together, which countries
cooperate but have no recorded return route, who has not been verified for too long, and
which single institutions hold the chains that carry cases together.

Every finding says what the data holds and how far it reaches. An absence in the records
is not an absence in the world: each finding carries a ``grade`` (:mod:`netmap.analysis.
sources`: ``confirmed`` by a source that claims to list everything, ``not_recorded``, or
``outside_coverage`` when the place's sources were about something else), the ``sources``
that decide it, and a ``why`` worded accordingly. Each scope reports its ``coverage``:
the sources about it, what each was about, and the records and evidence it holds.

What the analysis reads, and what it does not:

- Hand-overs, return routes and single points of failure follow only ties that carry
  cases (taxonomy.toml): a funder or a meeting is not a referral route.
- Two sectors work together when a tie that means working together links them, or they
  take part in the same network, mechanism, protocol or project.
- A record marked collective ("the NGOs of X") counts for the sectors present, never as a
  stage's carrier. Modelled records are left out unless asked for.
- A country present only as a funder, a host, the seat of an international organisation,
  or through a single organisation is not assessed stage by stage (``scope.not_assessed``
  says so).
"""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import numpy as np
import pandas as pd

from netmap.analysis import kernels
from netmap.analysis.actors import actor_table, in_sentence
from netmap.analysis.kernels import PairGraph
from netmap.analysis.sources import GRADE_LABELS, Fact, SourceCoverage, cited
from netmap.codes import country_name
from netmap.dates import months_since
from netmap.errors import NetmapError
from netmap.graph import leave_out_modelled
from netmap.i18n import ListStyle, format_list, gettext, ngettext
from netmap.model import RecordKind
from netmap.places import Places, check_country
from netmap.store.base import Network
from netmap.taxonomy import Handover, Stage, Taxonomy, load_taxonomy

FINDING_LISTS = (
    "missing_stages",
    "missing_sectors",
    "missing_handovers",
    "cross_sector_pairs",
    "missing_return_ties",
    "stale",
    "single_points_of_failure",
)
#: The finding lists whose findings are graded (stale records are a fact about the
#: records themselves).
GRADED_LISTS = tuple(name for name in FINDING_LISTS if name != "stale")


@dataclass
class GapReport:
    """The gaps found in one scope; every list holds JSON-ready finding dicts.

    Each finding has ``why``: what the gap means, in words a coordinator understands, and
    (but stale records) ``grade``, ``grade_label`` and ``sources``: how sure it is. ``scope``
    says what was examined (``level``: ``city``, ``country`` or ``network``), whether it
    was assessed stage by stage, and its ``coverage``.
    """

    scope: dict[str, Any]
    missing_stages: list[dict[str, Any]] = field(default_factory=list)
    missing_sectors: list[dict[str, Any]] = field(default_factory=list)
    missing_handovers: list[dict[str, Any]] = field(default_factory=list)
    cross_sector_pairs: list[dict[str, Any]] = field(default_factory=list)
    missing_return_ties: list[dict[str, Any]] = field(default_factory=list)
    stale: list[dict[str, Any]] = field(default_factory=list)
    single_points_of_failure: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Return the report as plain data: ``scope`` and one list per kind of finding."""
        return {
            "scope": dict(self.scope),
            **{name: list(getattr(self, name)) for name in FINDING_LISTS},
        }

    def counts(self) -> dict[str, int]:
        """Return the number of findings of each kind."""
        return {name: len(getattr(self, name)) for name in FINDING_LISTS}


@dataclass(frozen=True)
class _Unit:
    """A place the model is checked in: a city or a country, its institutions (as ids and
    as positions in the actor table, both in id order) and its city keys."""

    level: str
    label: str
    country: str
    city: str | None
    members: tuple[str, ...]
    positions: np.ndarray = field(compare=False, repr=False)
    places: tuple[str, ...] = ()

    def where(self) -> dict[str, Any]:
        return {"place": self.label, "level": self.level, "country": self.country,
                "city": self.city}  # fmt: skip

    @property
    def name(self) -> str:
        return self.city or self.label


class _Actors:
    """The actor table (:func:`actor_table`) as one dict per column, keyed by institution
    id: the findings look up single cells many times. What is asked of every tie at once
    (the stages each end carries, its place) is kept as arrays by position in id order."""

    COLUMNS = ("name", "country", "city", "place", "place_label", "sector", "level", "kind",
               "stages", "collective", "services_known_as")  # fmt: skip

    def __init__(self, frame: pd.DataFrame, taxonomy: Taxonomy):
        self.index: list[str] = frame.index.tolist()  # in id order
        self._ids = frame.index.to_numpy()
        self.frame = frame
        self._codes: dict[str, tuple[np.ndarray, list[Any]]] = {}
        # Institutions carry one of a few combinations of stages: each is read once.
        combination, combinations = pd.factorize(frame["stages"])
        self.carries: dict[str, np.ndarray] = {
            stage: np.array([stage in carried for carried in combinations], dtype=bool)[combination]
            for stage in taxonomy.stages
        }
        assumed = frame["services_known_as"].eq("assumed").to_numpy(dtype=bool)
        #: per stage, which actors carry it only by their sector's usual services
        self.assumed = {stage: carried & assumed for stage, carried in self.carries.items()}

    def __getattr__(self, column: str) -> dict[str, Any]:
        # Each column's dict is made when first asked for: one city's findings read only
        # some, and at 100,000 institutions making all of them took a fifth of a second.
        if column not in self.COLUMNS:
            raise AttributeError(column)
        values = dict(zip(self.index, self.frame[column].tolist(), strict=True))
        setattr(self, column, values)
        return values

    def positions(self, ids: pd.Series) -> np.ndarray:
        """Positions of institution ids in the table (-1 for an id not in it)."""
        return self.frame.index.get_indexer(pd.Index(ids))  # as pandas would make it

    def ids(self, positions: np.ndarray | list[int]) -> list[str]:
        ids: list[str] = self._ids[positions].tolist()
        return ids

    def country_at(self, position: int) -> str:
        country: str = self.country[self.index[position]]
        return country

    def codes(self, column: str) -> tuple[np.ndarray, list[Any]]:
        """Each institution's value of ``column`` as a number, and the values (sorted)."""
        if column not in self._codes:
            code, values = pd.factorize(self.frame[column], sort=True)
            self._codes[column] = (code, values.tolist())
        return self._codes[column]

    def work_out_all(self) -> None:
        """Work out now what the findings otherwise work out when they first ask (for a
        table shared by many scopes)."""
        for column in ("place", "sector", "country"):
            self.codes(column)
        for column in self.COLUMNS:
            getattr(self, column)
        for groups in ("by_place", "by_country"):
            getattr(self, groups)

    @functools.cached_property
    def by_place(self) -> dict[str, np.ndarray]:
        """Positions by city key, keys sorted, positions in id order."""
        return self._groups("place")

    @functools.cached_property
    def by_country(self) -> dict[str, np.ndarray]:
        """Positions by country code, codes sorted, positions in id order."""
        return self._groups("country")

    def _groups(self, column: str) -> dict[Any, np.ndarray]:
        code, keys = self.codes(column)
        by_code = np.argsort(code, kind="stable")
        bounds = np.searchsorted(code[by_code], np.arange(len(keys) + 1))
        return {
            key: by_code[start:end]
            for key, start, end in zip(keys, bounds[:-1], bounds[1:], strict=True)
        }


@dataclass(frozen=True)
class _Ties:
    """Ties as the positions of their ends in the actor table, in tie order, with what
    their kind means: ``carries`` (a case can travel along it) and ``works`` (the two work
    together)."""

    source: np.ndarray
    target: np.ndarray
    directed: np.ndarray
    carries: np.ndarray
    works: np.ndarray

    @classmethod
    def touching(cls, ties: pd.DataFrame, actors: _Actors, in_scope: np.ndarray) -> _Ties:
        """The ties with at least one end in scope: all that any finding of the scope can
        depend on."""
        ties = ties[["source_id", "target_id", "directed", "kind"]]
        if not in_scope.all():
            # Matching ids against the scope's few is much cheaper than locating every end.
            scope_ids = actors.ids(np.flatnonzero(in_scope))
            ties = ties[ties["source_id"].isin(scope_ids) | ties["target_id"].isin(scope_ids)]
        source = actors.positions(ties["source_id"])
        target = actors.positions(ties["target_id"])
        directed = ties["directed"].to_numpy(dtype=bool, na_value=False)
        taxonomy = load_taxonomy()
        carries = ties["kind"].isin(taxonomy.case_carrying_tie_kinds).to_numpy(dtype=bool)
        works = ties["kind"].isin(taxonomy.working_tie_kinds).to_numpy(dtype=bool)
        # A tie to an institution the network does not list carries nothing (the stores'
        # foreign keys rule it out; a hand-built snapshot may not).
        known = (source >= 0) & (target >= 0)
        return cls(source[known], target[known], directed[known], carries[known], works[known])

    def where(self, keep: np.ndarray) -> _Ties:
        return _Ties(
            self.source[keep], self.target[keep], self.directed[keep], self.carries[keep],
            self.works[keep],
        )  # fmt: skip

    def touching_scope(self, in_scope: np.ndarray) -> _Ties:
        """Those of these ties with at least one end in scope (positions, in tie order)."""
        if in_scope.all():
            return self
        return self.where(in_scope[self.source] | in_scope[self.target])

    def carrying_cases(self) -> _Ties:
        return self if self.carries.all() else self.where(self.carries)


@dataclass(frozen=True)
class _Memberships:
    """Who takes part together in the initiatives whose members work together (a network,
    a mechanism, a protocol, a project): per city, the pairs of sectors they bring
    together there, and the pairs of countries they bring together."""

    sector_pairs: dict[str, frozenset[frozenset[str]]]  # city key -> pairs of sectors
    country_pairs: frozenset[frozenset[str]]

    @classmethod
    def of(cls, network: Network, actors: _Actors, taxonomy: Taxonomy) -> _Memberships:
        participations = network.participations
        working = set(
            network.initiatives["id"][
                network.initiatives["kind"].isin(taxonomy.working_initiative_kinds)
            ]
        )
        taking_part = participations[
            participations["role"].isin(taxonomy.taking_part_roles)
            & participations["initiative_id"].isin(working)
        ]
        positions = actors.positions(taking_part["institution_id"])
        known = positions >= 0
        frame = pd.DataFrame(
            {
                "initiative": taking_part["initiative_id"].to_numpy()[known],
                "place": [actors.frame["place"].iat[p] for p in positions[known]],
                "sector": [actors.frame["sector"].iat[p] for p in positions[known]],
                "country": [actors.frame["country"].iat[p] for p in positions[known]],
            }
        )
        sector_pairs: dict[str, set[frozenset[str]]] = {}
        for (_, place), sectors in frame.groupby(["initiative", "place"])["sector"]:
            for pair in itertools.combinations(sorted(set(sectors)), 2):
                sector_pairs.setdefault(str(place), set()).add(frozenset(pair))  # a city key
        country_pairs = {
            frozenset(pair)
            for _, countries in frame.groupby("initiative")["country"]
            for pair in itertools.combinations(sorted(set(countries)), 2)
        }
        return cls(
            {place: frozenset(pairs) for place, pairs in sector_pairs.items()},
            frozenset(country_pairs),
        )


# What the staleness check reads of each record: kind, id, name, institution id, last
# verified, source.
_Record = tuple[str, str, str, str, str | None, str | None]


def _records(
    institutions: pd.DataFrame, contacts: pd.DataFrame
) -> tuple[list[_Record], list[_Record]]:
    """The institutions' and contacts' records as :data:`_Record` tuples, in frame order."""
    return (
        list(zip(itertools.repeat("institution"), institutions["id"], institutions["name"],
                 institutions["id"], institutions["last_verified"], institutions["source"])),
        list(zip(itertools.repeat("contact"), contacts["id"], contacts["name"],
                 contacts["institution_id"], contacts["last_verified"], contacts["source"])),
    )  # fmt: skip


@dataclass
class GapIndex:
    """What the gap analysis needs from one network, prepared once.

    Every scope reads the whole actor table and looks for its ties among all of the
    network's: with the table, the places, the ties (as positions of their ends), the
    sources' coverage, the shared memberships and the records checked for staleness
    prepared here, :func:`gaps` of one city only does the city's own work. Build it once
    per store revision; analyses only read it, so sessions may share it.
    """

    places: Places
    actors: _Actors
    ties: _Ties  # every tie between two listed institutions, in tie order
    coverage: SourceCoverage
    memberships: _Memberships
    network: Network  # without modelled records unless asked
    institution_records: list[_Record]  # in the order of network.institutions
    institution_positions: np.ndarray  # each record's institution, in the actor table
    contact_records: list[_Record]  # in the order of network.contacts
    contact_positions: np.ndarray  # each contact's institution (-1: not listed)
    include_modelled: bool = False

    @classmethod
    def build(cls, network: Network, *, include_modelled: bool = False) -> GapIndex:
        """Prepare the gap analysis (and :func:`coverage`) for ``network``."""
        if not include_modelled:
            network = leave_out_modelled(network)
        taxonomy = load_taxonomy()
        places = Places(network)
        actors = _Actors(actor_table(network, places), taxonomy)
        actors.work_out_all()
        ties = _Ties.touching(network.ties, actors, np.ones(len(actors.index), dtype=bool))
        institution_records, contact_records = _records(network.institutions, network.contacts)
        return cls(
            places=places,
            actors=actors,
            ties=ties,
            coverage=SourceCoverage.build(network, places, actors.place),
            memberships=_Memberships.of(network, actors, taxonomy),
            network=network,
            institution_records=institution_records,
            institution_positions=actors.positions(network.institutions["id"]),
            contact_records=contact_records,
            contact_positions=actors.positions(network.contacts["institution_id"]),
            include_modelled=include_modelled,
        )

    def records(self, in_scope: np.ndarray) -> list[_Record]:
        """The institutions in scope and their contacts, as records (institutions first)."""
        if in_scope.all():
            return [*self.institution_records, *self.contact_records]
        institutions = np.flatnonzero(in_scope[self.institution_positions])
        positions = self.contact_positions
        contacts = np.flatnonzero((positions >= 0) & in_scope[positions])
        return [
            *(self.institution_records[i] for i in institutions.tolist()),
            *(self.contact_records[i] for i in contacts.tolist()),
        ]


def _words(items: list[str], style: ListStyle = "standard") -> str:
    """``items`` joined as the current language joins a list (``style="or"``: alternatives)."""
    return format_list(items, style)


def _more(count: int) -> str:
    return ngettext("%(count)d more", "%(count)d more", count) % {"count": count}


def _names(ids: Iterable[str], names: dict[str, str], show: int = 3) -> str:
    ids = list(ids)
    shown = [names.get(i, i) for i in ids[:show]]
    if len(ids) > show:
        shown.append(_more(len(ids) - show))
    return _words(shown)


def _services_text(taxonomy: Taxonomy, services: Iterable[str]) -> str:
    return _words([in_sentence(taxonomy.label("services", s)) for s in services], "or")


def _stage_name(taxonomy: Taxonomy, stage_key: str) -> str:
    """A stage's label as written inside a sentence."""
    return in_sentence(taxonomy.label("stages", stage_key))


def _stage_text(taxonomy: Taxonomy, stage_key: str) -> str:
    services = taxonomy.stages[stage_key].services
    return _services_text(taxonomy, [s for s in taxonomy.services if s in services])


def _is_local_network(actors: _Actors, members: Iterable[str]) -> bool:
    """A city holds a local network when one of its institutions works at local level (or
    does not say at which level): national offices in a capital are not a local network,
    nor are the institutions whose city is not recorded."""
    return any(actors.level[i] in (None, "local") and actors.city[i] is not None for i in members)


# --- what the sources say about a finding -------------------------------------------------


class _Grader:
    """Grades findings with the network's :class:`SourceCoverage` and words the clause a
    finding's ``why`` ends with."""

    def __init__(self, coverage: SourceCoverage):
        self.coverage = coverage

    def grade(
        self, fact: Fact, unit_places: Iterable[str], sector: str | None = None
    ) -> dict[str, Any]:
        """The grade fields of a finding about the absence of ``fact`` (of ``sector``'s
        actors, for ``actors``) in ``unit_places``, and the sentence that says it."""
        grade, sources = self.coverage.grade(fact, unit_places, sector)
        titles = [
            _short_title(self.coverage.sources[s].title)
            for s in sources
            if s in self.coverage.sources
        ]
        shown = [f"«{t}»" for t in titles[:3]]
        if len(titles) > 3:
            shown.append(_more(len(titles) - 3))
        values = {
            "sources": _words(shown) or gettext("the sources of this place"),
            "sector": in_sentence(load_taxonomy().label("sectors", sector)) if sector else "",
        }
        # the number of sources the verb agrees with (none listed: "the sources", plural)
        many = len(titles) or 2
        if grade == "confirmed":
            sentence = {
                "services": ngettext(
                    "Confirmed by a source: %(sources)s claims to list every service there.",
                    "Confirmed by a source: %(sources)s claim to list every service there.",
                    many,
                ),
                "actors": ngettext(
                    "Confirmed by a source: %(sources)s claims to list every %(sector)s actor "
                    "there.",
                    "Confirmed by a source: %(sources)s claim to list every %(sector)s actor "
                    "there.",
                    many,
                ),
                "ties": ngettext(
                    "Confirmed by a source: %(sources)s claims to list every tie of its actors "
                    "there.",
                    "Confirmed by a source: %(sources)s claim to list every tie of its actors "
                    "there.",
                    many,
                ),
            }[fact]
        elif grade == "outside_coverage":
            sentence = {
                "services": ngettext(
                    "Outside what the sources cover: %(sources)s was not about services, so "
                    "whether there is one is not known.",
                    "Outside what the sources cover: %(sources)s were not about services, so "
                    "whether there is one is not known.",
                    many,
                ),
                "actors": ngettext(
                    "Outside what the sources cover: %(sources)s was not about %(sector)s "
                    "actors, so whether there is one is not known.",
                    "Outside what the sources cover: %(sources)s were not about %(sector)s "
                    "actors, so whether there is one is not known.",
                    many,
                ),
                "ties": ngettext(
                    "Outside what the sources cover: %(sources)s was not about the ties of its "
                    "actors, so whether there is one is not known.",
                    "Outside what the sources cover: %(sources)s were not about the ties of "
                    "its actors, so whether there is one is not known.",
                    many,
                ),
            }[fact]
        elif sources:
            sentence = ngettext(
                "Not recorded: %(sources)s could have mentioned one but does not claim to list "
                "them all, so one may exist unrecorded.",
                "Not recorded: %(sources)s could have mentioned one but do not claim to list "
                "them all, so one may exist unrecorded.",
                many,
            )
        else:
            sentence = gettext(
                "Not recorded: no source describes what the records of this place cover, so "
                "one may exist unrecorded."
            )
        return {
            "grade": grade,
            "grade_label": gettext(GRADE_LABELS[grade]),
            "sources": sources,
            "_sentence": sentence % values,
        }


def _assumed_words(count: int) -> str:
    return ngettext("; assumed from its sector", "; assumed from their sectors", count)


def _short_title(title: str, limit: int = 60) -> str:
    """A source's title short enough for a sentence (the coverage lists it whole)."""
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def _graded(finding: dict[str, Any], grading: dict[str, Any]) -> dict[str, Any]:
    """The finding with the grade fields, its ``why`` followed by the grade's sentence."""
    sentence = grading["_sentence"]
    return {
        **finding,
        "grade": grading["grade"],
        "grade_label": grading["grade_label"],
        "sources": grading["sources"],
        "why": f"{finding['why']} {sentence}",
    }


# --- which places are assessed ------------------------------------------------------------


def _assessment(
    actors: _Actors,
    positions: np.ndarray,
    ties: _Ties,
    taking_part: set[str],
    supporting: set[str],
    level: str,
) -> str | None:
    """Why the institutions at ``positions`` say too little to assess the place stage by
    stage (None: they do not). Present only as funders, hosts or supporters (their only
    recorded part in the network), only as the seat of international organisations, or —
    for a country — through a single organisation."""
    ids = actors.ids(positions)
    in_group = np.zeros(len(actors.index), dtype=bool)
    in_group[positions] = True
    working = ties.works & (in_group[ties.source] | in_group[ties.target])
    tied = set(actors.ids(np.concatenate([ties.source[working], ties.target[working]])))
    supporters = [i for i in ids if i in supporting and i not in tied and i not in taking_part]
    own = [i for i in ids if i not in supporters]
    if not own:
        return gettext("it appears only as a funder, host or supporter")
    seats = [i for i in own if "international" in (actors.level[i], actors.kind[i])]
    if len(seats) == len(own):
        return gettext("it appears only as the seat of an international organisation")
    bodies = [i for i in own if i not in seats]
    if level == "country" and len(bodies) == 1:
        return gettext("a single organisation is recorded there")
    return None


# --- scope --------------------------------------------------------------------------------


def _scope(
    network: Network,
    actors: _Actors,
    places: Places,
    ties: _Ties,
    city: str | None,
    country: str | None,
) -> tuple[dict[str, Any], list[_Unit], list[_Unit], np.ndarray, list[_Unit]]:
    """Return the scope, the units checked for stages and hand-overs (assessed ones only),
    the city units checked for sectors, which institutions are in scope (by position), and
    every assessed country of the network (for return routes)."""
    taxonomy = load_taxonomy()
    by_place = actors.by_place
    by_country = actors.by_country
    participations = network.participations
    takes_part = participations["role"].isin(taxonomy.taking_part_roles)
    taking_part = set(participations["institution_id"][takes_part])
    # who appears in a way that is not working together: funding, hosting, supporting (the
    # giving end of a funding or hosting tie; receiving a grant is no such part)
    supporting = set(participations["institution_id"][~takes_part]) | set(
        actors.ids(ties.source[~ties.works])
    )
    country_places: dict[str, list[str]] = {}
    for key in by_place:
        country_places.setdefault(key.split(":", 1)[0], []).append(key)

    def city_unit(key: str) -> _Unit:
        members = tuple(actors.ids(by_place[key]))
        first = members[0]
        return _Unit(
            level="city",
            label=actors.place_label[first],
            country=actors.country[first],
            city=actors.city[first],
            members=members,
            positions=by_place[key],
            places=(key,),
        )

    def country_unit(code: str) -> _Unit:
        members = tuple(actors.ids(by_country[code]))
        return _Unit(
            "country",
            country_name(code),
            code,
            None,
            members,
            by_country[code],
            tuple(country_places.get(code, ())),
        )

    def in_scope(unit: _Unit) -> np.ndarray:
        found = np.zeros(len(actors.index), dtype=bool)
        found[unit.positions] = True
        return found

    def country_code(name: str) -> str:
        code = name.strip().upper()
        return code if code in by_country else check_country(network, name)

    def not_assessed(unit: _Unit) -> str | None:
        return _assessment(actors, unit.positions, ties, taking_part, supporting, unit.level)

    if city is not None:
        code = country_code(country) if country else None
        place = places.resolve_one(city, code)
        if place.key not in by_place:
            raise NetmapError(
                gettext("no institution is located in %(place)s") % {"place": place.label}
            )
        unit = city_unit(place.key)
        why_not = not_assessed(unit)
        scope = {**unit.where(), "places": [place.key], "assessed": why_not is None,
                 "not_assessed": _not_assessed(unit, why_not)}  # fmt: skip
        units = [] if why_not else [unit]
        return scope, units, [unit], in_scope(unit), []  # a city has no return routes
    # return routes are looked for between assessed countries
    countries = [country_unit(code) for code in by_country]
    why_not_of = {unit.country: not_assessed(unit) for unit in countries}
    assessed_countries = [unit for unit in countries if why_not_of[unit.country] is None]
    if country is not None:
        code = country_code(country)
        unit = country_unit(code)
        why_not = why_not_of[code]
        cities = [city_unit(k) for k in country_places.get(code, ())]
        scope = {"level": "country", "place": unit.label, "country": code, "city": None,
                 "places": list(unit.places), "assessed": why_not is None,
                 "not_assessed": _not_assessed(unit, why_not)}  # fmt: skip
        units = [] if why_not else [unit]
        return scope, units, [] if why_not else cities, in_scope(unit), assessed_countries
    skipped = [
        entry for unit in countries for entry in _not_assessed(unit, why_not_of[unit.country])
    ]
    assessed = {unit.country for unit in assessed_countries}
    scope = {"level": "network", "place": gettext("the whole network"), "country": None, "city": None,
             "places": sorted(by_place), "assessed": True, "not_assessed": skipped}  # fmt: skip
    cities = [city_unit(k) for k in by_place if k.split(":", 1)[0] in assessed]
    everything = np.ones(len(actors.index), dtype=bool)
    return scope, assessed_countries, cities, everything, assessed_countries


def _not_assessed(unit: _Unit, why: str | None) -> list[dict[str, Any]]:
    if why is None:
        return []
    return [
        {
            **unit.where(),
            "why": gettext(
                "%(place)s is not assessed stage by stage: %(reason)s, which says nothing of "
                "the referral pathway there."
            )
            % {"place": unit.name, "reason": why},
        }
    ]


# --- findings -----------------------------------------------------------------------------


def _stages_checked(taxonomy: Taxonomy, level: str) -> list[Stage]:
    """The stages a unit of ``level`` is expected to hold: a city its local stages; a
    country its local and national ones and the needs at every stage. Return and
    reception, between two countries, are checked as return routes."""
    allowed = {"local"} if level == "city" else {"local", "national"}
    return [s for s in taxonomy.ordered_stages() if s.where in allowed]


def _missing_stages(
    units: list[_Unit], actors: _Actors, taxonomy: Taxonomy, grader: _Grader
) -> list[dict[str, Any]]:
    names = actors.name
    findings = []
    for unit in units:
        for stage in _stages_checked(taxonomy, unit.level):
            if actors.carries[stage.key][unit.positions].any():
                continue
            needs = _stage_text(taxonomy, stage.key)
            label = taxonomy.label("stages", stage.key)
            named = {
                "children": gettext("%(stage)s (for children)"),
                "abroad": gettext("%(stage)s (for victims from abroad)"),
            }.get(stage.victims, "%(stage)s") % {"stage": label}
            why = gettext(
                "%(stage)s: no recorded actor in %(place)s offers %(services)s (listed, or "
                "usual for its sector)."
            ) % {"stage": named, "place": unit.name, "services": needs}
            if stage.cross_cutting:
                why += " " + gettext("A victim needs it at every stage.")
            elsewhere: list[str] = []
            if unit.level == "city":
                in_country = actors.by_country[unit.country]
                elsewhere = actors.ids(in_country[actors.carries[stage.key][in_country]])
                if elsewhere:
                    why += " " + ngettext(
                        "In %(country)s, %(count)d actor does: %(names)s.",
                        "In %(country)s, %(count)d actors do: %(names)s.",
                        len(elsewhere),
                    ) % {
                        "country": country_name(unit.country),
                        "count": len(elsewhere),
                        "names": _names(elsewhere, names),
                    }
            finding = {
                **unit.where(),
                "stage": stage.key,
                "stage_label": label,
                "elsewhere_in_country": elsewhere,
                "why": why,
            }
            findings.append(_graded(finding, grader.grade("services", unit.places)))
    return findings


def _assumed_only(units: list[_Unit], actors: _Actors, taxonomy: Taxonomy) -> list[dict[str, Any]]:
    """The stages each unit holds only by its actors' sectors' usual services (assumed)."""
    found = []
    for unit in units:
        for stage in _stages_checked(taxonomy, unit.level):
            carried = actors.carries[stage.key][unit.positions]
            if carried.any() and (actors.assumed[stage.key][unit.positions] == carried).all():
                found.append({"place": unit.label, "stage": stage.key})
    return found


def _missing_sectors(
    units: list[_Unit], actors: _Actors, taxonomy: Taxonomy, explicit: bool, grader: _Grader
) -> list[dict[str, Any]]:
    """Sectors a local network lacks, against the model's expectation for its country (where
    one is set, with its basis) and against the other local networks of the same country
    (missing here, present in at least half of them and in at least two)."""
    countries = {unit.country for unit in units}
    local_sectors: dict[str, set[str]] = {}
    networks_in: Counter = Counter()
    sector_in: dict[str, Counter] = {}
    for place, positions in actors.by_place.items():
        country = actors.country_at(positions[0])
        if country not in countries:
            continue
        members = actors.ids(positions)
        if _is_local_network(actors, members):
            local_sectors[place] = {actors.sector[i] for i in members}
            networks_in[country] += 1
            sector_in.setdefault(country, Counter()).update(local_sectors[place])
    findings = []
    for unit in units:
        place = actors.place[unit.members[0]]
        is_local = place in local_sectors
        if not explicit and not is_local:
            continue
        present = {actors.sector[i] for i in unit.members}
        own = local_sectors.get(place, set())
        peers = networks_in[unit.country] - is_local  # the other local networks
        counts = sector_in.get(unit.country, Counter())
        model = taxonomy.expected_sectors(unit.country)
        basis = model.basis if model is not None else None
        for sector in taxonomy.sectors:
            if sector in present:
                continue
            expected = model is not None and sector in model.expected_sectors
            with_it = counts[sector] - (sector in own)
            by_peers = peers >= 2 and with_it >= 2 and with_it * 2 >= peers
            if not expected and not by_peers:
                continue
            label = taxonomy.label("sectors", sector)
            reasons = []
            if expected and model is not None:
                reasons.append(
                    gettext(
                        "the model expects one in the local networks of %(country)s (%(basis)s)"
                    )
                    % {"country": country_name(unit.country), "basis": model.basis_in()}
                )
            if by_peers:
                reasons.append(
                    ngettext(
                        "%(with_it)d of the %(peers)d other local networks in %(country)s has one",
                        "%(with_it)d of the %(peers)d other local networks in %(country)s have one",
                        with_it,
                    )
                    % {"with_it": with_it, "peers": peers, "country": country_name(unit.country)}
                )
            finding = {
                **unit.where(),
                "sector": sector,
                "sector_label": label,
                "expected_by_model": expected,
                "basis": basis if expected else None,
                "peers_with_it": with_it,
                "peers": peers,
                "why": gettext("No %(sector)s actor is recorded in %(place)s: %(reasons)s.")
                % {"sector": in_sentence(label), "place": unit.name, "reasons": _words(reasons)},
            }
            grading = grader.grade("actors", unit.places, sector)
            findings.append(_graded(finding, grading))
    return findings


def _needed_by_every_carrier(
    itself: np.ndarray, givers: np.ndarray, receivers: np.ndarray
) -> list[int] | None:
    """The positions every carrier of a hand-over needs (sorted), given the actors that
    carry both stages themselves and the (giver, receiver) ties that carry it; None when
    nothing carries it."""
    if len(itself) == 0 and len(givers) == 0:
        return None
    first_carrier = [itself[0]] if len(itself) else [givers[0], receivers[0]]
    return sorted(
        {
            int(node)
            for node in first_carrier
            if (itself == node).all() and ((givers == node) | (receivers == node)).all()
        }
    )


def _local_handovers(taxonomy: Taxonomy) -> list[Handover]:
    return [handover for handover in taxonomy.handovers if not handover.across_border]


def _handover_carriers(
    units: list[_Unit], actors: _Actors, ties: _Ties, taxonomy: Taxonomy
) -> list[dict[tuple[str, str], list[str] | None]]:
    """For each unit and each hand-over of the model (within a country), what its carriers
    have in common: None when nothing carries the hand-over in the unit, else the
    institutions (ids, in id order) without any one of which nothing would carry it any more.

    A carrier is an actor of the unit that carries both stages itself, or a tie that
    carries cases from an actor of the unit carrying the first stage to an actor (in the
    unit or not) carrying the second; a directed tie (a referral) counts only in its own
    direction.
    """
    ties = ties.carrying_cases()
    unit_of = np.full(len(actors.index), -1)
    for number, unit in enumerate(units):
        unit_of[unit.positions] = number
    found: list[dict[tuple[str, str], list[str] | None]] = [{} for _ in units]
    for handover in _local_handovers(taxonomy):
        gives, takes = (actors.carries[stage] for stage in handover)
        forwards = gives[ties.source] & takes[ties.target]
        backwards = ~forwards & ~ties.directed & gives[ties.target] & takes[ties.source]
        givers = np.where(forwards, ties.source, ties.target)
        receivers = np.where(forwards, ties.target, ties.source)
        carrying = (forwards | backwards) & (unit_of[givers] >= 0)
        givers, receivers = givers[carrying], receivers[carrying]
        by_unit = np.argsort(unit_of[givers], kind="stable")
        bounds = np.searchsorted(unit_of[givers][by_unit], np.arange(len(units) + 1))
        key = (handover.from_stage, handover.to_stage)
        for number, unit in enumerate(units):
            itself = unit.positions[(gives & takes)[unit.positions]]
            ties_of_unit = by_unit[bounds[number] : bounds[number + 1]]
            needed = _needed_by_every_carrier(itself, givers[ties_of_unit], receivers[ties_of_unit])
            found[number][key] = None if needed is None else actors.ids(needed)
    return found


def _missing_handovers(
    units: list[_Unit],
    actors: _Actors,
    carriers: list[dict[tuple[str, str], list[str] | None]],
    taxonomy: Taxonomy,
    grader: _Grader,
) -> list[dict[str, Any]]:
    names = actors.name
    findings = []
    for unit, carried in zip(units, carriers, strict=True):
        for first, second in _local_handovers(taxonomy):
            givers = actors.ids(unit.positions[actors.carries[first][unit.positions]])
            if not givers or carried[(first, second)] is not None:
                continue
            a, b = _stage_name(taxonomy, first), _stage_name(taxonomy, second)
            assumed = all(actors.services_known_as[i] == "assumed" for i in givers)
            why = ngettext(
                "In %(place)s, %(count)d actor carries %(first)s (%(names)s), but no recorded "
                "tie that carries cases links it to an actor of %(second)s: nobody is recorded "
                "to take a case over from %(first)s to %(second)s.",
                "In %(place)s, %(count)d actors carry %(first)s (%(names)s), but no recorded "
                "tie that carries cases links them to an actor of %(second)s: nobody is "
                "recorded to take a case over from %(first)s to %(second)s.",
                len(givers),
            ) % {
                "place": unit.name,
                "count": len(givers),
                "first": a,
                "second": b,
                "names": _names(givers, names) + (_assumed_words(len(givers)) if assumed else ""),
            }
            finding = {
                **unit.where(),
                "from_stage": first,
                "to_stage": second,
                "from_actors": givers,
                "why": why,
            }
            findings.append(_graded(finding, grader.grade("ties", unit.places)))
    return findings


def _cross_sector_pairs(
    units: list[_Unit],
    actors: _Actors,
    ties: _Ties,
    memberships: _Memberships,
    taxonomy: Taxonomy,
    grader: _Grader,
) -> list[dict[str, Any]]:
    """Sectors present in the same city that no recorded tie meaning work together links,
    and that do not take part together in a network, mechanism, protocol or project."""
    ties = ties.where(ties.works)
    sector = actors.sector
    place_code, places = actors.codes("place")
    sector_code, sectors = actors.codes("sector")
    source_sector, target_sector = sector_code[ties.source], sector_code[ties.target]
    same_place_other_sector = (place_code[ties.source] == place_code[ties.target]) & (
        source_sector != target_sector
    )
    tied_pairs = pd.DataFrame(
        {
            "place": place_code[ties.source][same_place_other_sector],
            "one": np.minimum(source_sector, target_sector)[same_place_other_sector],
            "other": np.maximum(source_sector, target_sector)[same_place_other_sector],
        }
    ).drop_duplicates()
    tied: dict[str, set[frozenset[str]]] = {}  # city -> pairs of sectors tied inside it
    for place, one, other in tied_pairs.itertuples(index=False):
        tied.setdefault(places[place], set()).add(frozenset((sectors[one], sectors[other])))
    order = {key: i for i, key in enumerate(taxonomy.sectors)}
    findings = []
    for unit in units:
        key = actors.place[unit.members[0]]
        present = sorted({sector[i] for i in unit.members}, key=lambda k: order.get(k, len(order)))
        inside = tied.get(key, set()) | memberships.sector_pairs.get(key, frozenset())
        for first, second in itertools.combinations(present, 2):
            if frozenset((first, second)) in inside:
                continue
            a, b = taxonomy.label("sectors", first), taxonomy.label("sectors", second)
            finding = {
                **unit.where(),
                "sectors": [first, second],
                "labels": [a, b],
                "why": gettext(
                    "%(one)s and %(other)s are both present in %(place)s, but no recorded tie "
                    "or shared network links them: a case one of them takes up is not "
                    "recorded to reach the other."
                )
                % {"one": a, "other": in_sentence(b), "place": unit.name},
            }
            findings.append(_graded(finding, grader.grade("ties", unit.places)))
    return findings


def _missing_return_ties(
    units: list[_Unit],
    actors: _Actors,
    ties: _Ties,
    memberships: _Memberships,
    taxonomy: Taxonomy,
    country: str | None,
    grader: _Grader,
) -> list[dict[str, Any]]:
    """Pairs of assessed countries that work together across the border (a tie that means
    working together, or a shared network, protocol or project), but with no recorded tie
    that carries cases from a return actor of one to a reception actor of the other, in
    either direction (the model's across-border hand-overs)."""
    handovers = [h for h in taxonomy.handovers if h.across_border]
    if not handovers:
        return []
    assessed = {unit.country: unit for unit in units}
    country_code, codes = actors.codes("country")
    source_country, target_country = country_code[ties.source], country_code[ties.target]
    across = source_country != target_country
    working_ties = Counter(
        frozenset((codes[a], codes[b]))
        for a, b in zip(
            source_country[across & ties.works], target_country[across & ties.works], strict=True
        )
    )
    working_pairs = set(working_ties) | set(memberships.country_pairs)
    routed: set[tuple[str, str]] = set()  # (from, to) countries with a return route
    carrying = across & ties.carries
    for handover in handovers:
        gives, takes = actors.carries[handover.from_stage], actors.carries[handover.to_stage]
        forwards = carrying & gives[ties.source] & takes[ties.target]
        backwards = carrying & ~ties.directed & gives[ties.target] & takes[ties.source]
        for a, b in zip(source_country[forwards], target_country[forwards], strict=True):
            routed.add((codes[a], codes[b]))
        for a, b in zip(target_country[backwards], source_country[backwards], strict=True):
            routed.add((codes[a], codes[b]))
    give_label = _stage_name(taxonomy, handovers[0].from_stage)
    take_label = _stage_name(taxonomy, handovers[0].to_stage)
    findings = []
    for pair in sorted(working_pairs, key=sorted):
        a, b = sorted(pair)
        if a not in assessed or b not in assessed:
            continue
        if country is not None and country not in (a, b):
            continue
        if (a, b) in routed or (b, a) in routed:
            continue
        finding = {
            "countries": [a, b],
            "ties": working_ties.get(pair, 0),
            "why": gettext(
                "%(one)s and %(other)s work together across the border, but no recorded tie "
                "that carries cases links an actor of %(give)s in one to an actor of %(take)s "
                "in the other: a victim found in one has no recorded route home to the other."
            )
            % {
                "one": country_name(a),
                "other": country_name(b),
                "give": give_label,
                "take": take_label,
            },
        }
        places = (*assessed[a].places, *assessed[b].places)
        findings.append(_graded(finding, grader.grade("ties", places)))
    return findings


def _stale(
    rows: list[_Record], stale_months: int, today: date, titles: dict[str, str]
) -> list[dict[str, Any]]:
    # Records verified together share a date: each date is read once.
    months_ago = functools.cache(lambda verified: months_since(verified, today))
    findings: list[dict[str, Any]] = []
    for kind, record_id, name, institution_id, verified, source in rows:
        months = months_ago(verified)
        if months is not None and months <= stale_months:
            continue
        values = {"name": name, "verified": verified, "months": months, "limit": stale_months}
        if months is None and kind == "institution" and source:
            values["source"] = cited(source, titles)
            why = gettext(
                "%(name)s has never been verified: nobody has confirmed these details since "
                "they came from %(source)s."
            )
        elif months is None and kind == "institution":
            why = gettext(
                "%(name)s has never been verified: nobody has confirmed these details since "
                "they were recorded."
            )
        elif months is None and source:
            values["source"] = cited(source, titles)
            why = gettext(
                "%(name)s has never been verified: nobody has confirmed this contact since "
                "they came from %(source)s."
            )
        elif months is None:
            why = gettext(
                "%(name)s has never been verified: nobody has confirmed this contact since "
                "they were recorded."
            )
        else:
            why = ngettext(
                "%(name)s was last verified in %(verified)s, %(months)d month ago (more than "
                "%(limit)d): people, phone numbers and addresses may have changed.",
                "%(name)s was last verified in %(verified)s, %(months)d months ago (more than "
                "%(limit)d): people, phone numbers and addresses may have changed.",
                months,
            )
        why %= values
        findings.append(
            {
                "kind": kind,
                "id": record_id,
                "name": name,
                "institution_id": institution_id,
                "last_verified": verified,
                "months": months,
                "why": why,
            }
        )
    findings.sort(key=lambda f: (f["months"] is not None, -(f["months"] or 0), f["kind"], f["id"]))
    return findings


def _case_graph(ties: _Ties, in_scope: np.ndarray) -> tuple[np.ndarray, PairGraph]:
    """The graph of the institutions in scope and the ties between them.

    Returns the institutions' positions in the actor table (in id order) and the graph on
    ``0..len(positions)-1`` numbering them in that order: one edge per tied pair,
    self-ties left out (they link nobody).
    """
    positions = np.flatnonzero(in_scope)
    local = np.full(len(in_scope), -1, dtype=np.int64)
    local[positions] = np.arange(len(positions))
    inside = in_scope[ties.source] & in_scope[ties.target]
    graph = PairGraph.from_pairs(
        len(positions), local[ties.source[inside]], local[ties.target[inside]]
    )
    return positions, graph


def _cut_off(blocks: list[list[int]], nodes: int) -> dict[int, list[int]]:
    """For each articulation point of a graph on ``0..nodes-1``: the nodes that would lose
    every link to the rest of their part of the network if it left, ascending: all but
    the largest of the parts it leaves. Of equally large parts, the one holding the
    part's biggest block (the first of equals) is kept, else the one whose block comes
    first.

    ``blocks`` are the graph's biconnected components as
    :func:`netmap.analysis.kernels.biconnected_components` gives them (sorted lists, in
    sorted order), so the answer depends on the graph alone. Works on the block-cut tree
    (articulation points are the nodes in more than one block): the parts are sized in
    linear time; listing the cut-off nodes costs their number.
    """
    in_blocks = np.zeros(nodes, dtype=np.int64)
    for block in blocks:
        in_blocks[block] += 1
    is_cut = in_blocks > 1
    cuts = np.flatnonzero(is_cut).tolist()
    first_cut = len(blocks)  # tree node of cut i: first_cut + i; of block b: b
    tree_node = {cut: first_cut + i for i, cut in enumerate(cuts)}
    adjacency: list[list[int]] = [[] for _ in range(first_cut + len(cuts))]
    members: list[list[int]] = []
    weight: list[int] = []
    for number, block in enumerate(blocks):
        own = []
        for node in block:
            if is_cut[node]:
                adjacency[number].append(tree_node[node])  # ascending node
                adjacency[tree_node[node]].append(number)  # ascending block
            else:
                own.append(node)
        members.append(own)
        weight.append(len(own))
    members.extend([cut] for cut in cuts)
    weight.extend([1] * len(cuts))

    def walk(top: int, children: dict[int, list[int]]) -> list[int]:
        found, stack = [], [top]
        while stack:
            node = stack.pop()
            found.extend(members[node])
            stack.extend(children.get(node, ()))
        return found

    result: dict[int, list[int]] = {}
    seen = [False] * len(adjacency)
    for start in range(first_cut):
        if seen[start]:
            continue
        component, reached = [start], {start}
        for node in component:
            for other in adjacency[node]:
                if other not in reached:
                    reached.add(other)
                    component.append(other)
        for node in component:
            seen[node] = True
        # Rooted at the biggest block: the network's core is then usually the parent side
        # of every cut, and only the small parts hanging off it are walked.
        root = max((n for n in component if n < first_cut), key=lambda n: (weight[n], -n))
        parent = {root: -1}
        order = [root]
        for node in order:
            for child in adjacency[node]:
                if child not in parent:
                    parent[child] = node
                    order.append(child)
        size = {node: weight[node] for node in order}
        for node in reversed(order[1:]):
            size[parent[node]] += size[node]
        total = size[root]
        children: dict[int, list[int]] = {}
        for node in order[1:]:
            children.setdefault(parent[node], []).append(node)
        for node in order:
            if node < first_cut:
                continue
            parts = [(size[child], 1, child) for child in children.get(node, ())]
            parts.append((total - size[node], 2, -1))  # the parent side
            largest = max(parts, key=lambda p: (p[0], p[1]))
            lost: list[int] = []
            for part_size, _, child in parts:
                if (part_size, child) == (largest[0], largest[2]) or part_size == 0:
                    continue
                if child >= 0:
                    lost.extend(walk(child, children))
                else:
                    kept = set(walk(largest[2], children)) | set(members[node])
                    lost.extend(v for n in component for v in members[n] if v not in kept)
            result[members[node][0]] = sorted(set(lost))
    return result


def _single_points_of_failure(
    actors: _Actors,
    units: list[_Unit],
    in_scope: np.ndarray,
    ties: _Ties,
    carriers: list[dict[tuple[str, str], list[str] | None]],
    taxonomy: Taxonomy,
    grader: _Grader,
    scope_places: list[str],
) -> list[dict[str, Any]]:
    """Institutions whose departure cuts others off the chains that carry cases in scope,
    or takes away everything that carries a hand-over (the only actor doing both stages,
    or an end of every tie that carries it)."""
    names = actors.name
    positions, graph = _case_graph(ties.carrying_cases(), in_scope)
    blocks = kernels.biconnected_components(graph, kernels.engine())
    scope_ids = actors.ids(positions)
    cut_off = {
        scope_ids[cut]: [scope_ids[i] for i in lost]
        for cut, lost in _cut_off(blocks, len(positions)).items()
    }
    broken: dict[str, list[dict[str, Any]]] = {}
    for unit, carried in zip(units, carriers, strict=True):
        for first, second in _local_handovers(taxonomy):
            for node in carried[(first, second)] or ():
                broken.setdefault(node, []).append(
                    {"place": unit.label, "from_stage": first, "to_stage": second}
                )
    grading = grader.grade("ties", scope_places)
    findings = []
    for node in sorted(set(cut_off) | set(broken)):
        lost = cut_off.get(node, [])
        handovers = broken.get(node, [])
        parts = []
        if lost:
            parts.append(
                ngettext(
                    "%(count)d partner loses its only recorded link that carries cases to the "
                    "rest of the network (%(names)s)",
                    "%(count)d partners lose their only recorded link that carries cases to "
                    "the rest of the network (%(names)s)",
                    len(lost),
                )
                % {"count": len(lost), "names": _names(lost, names)}
            )
        if handovers:
            described = [
                gettext("from %(first)s to %(second)s in %(place)s")
                % {
                    "first": _stage_name(taxonomy, h["from_stage"]),
                    "second": _stage_name(taxonomy, h["to_stage"]),
                    "place": h["place"],
                }
                for h in handovers
            ]
            parts.append(
                gettext("nobody recorded would be left to take a case %(handovers)s")
                % {"handovers": _words(described)}
            )
        why = gettext("If %(name)s stops cooperating, %(consequences)s.") % {
            "name": names[node],
            "consequences": _words(parts),
        }
        if handovers and actors.services_known_as[node] == "assumed":
            why += " " + gettext(
                "It carries those stages only by its sector's usual services (assumed)."
            )
        finding = {
            "id": node,
            "name": names[node],
            "country": actors.country[node],
            "city": actors.city[node],
            "cut_off": lost,
            "broken_handovers": handovers,
            "why": why,
        }
        findings.append(_graded(finding, grading))
    findings.sort(key=lambda f: (-(len(f["cut_off"]) + len(f["broken_handovers"])), f["id"]))
    return findings


def gaps(
    network: Network,
    *,
    city: str | None = None,
    country: str | None = None,
    stale_months: int = 24,
    today: date | None = None,
    index: GapIndex | None = None,
    include_modelled: bool = False,
) -> GapReport:
    """Return the gaps of a city, a country or the whole network against the pathway model.

    Parameters
    ----------
    network
        The network snapshot.
    city
        A city, in any script (``Пловдив``, ``Niš``). With ``country`` too, the city in
        that country.
    country
        An ISO country code (or English name). Without ``city`` and ``country``: the whole
        network.
    stale_months
        Institutions and contacts last verified longer ago than this, or never, are stale.
    today
        The date staleness is measured from (default: today).
    index
        A :class:`GapIndex` of ``network`` to reuse: build it once per store revision when
        asking about many places (the app does). Without it, only what this scope needs
        is prepared.
    include_modelled
        Count modelled records (illustrations) too (when no ``index`` is given; an index
        says itself whether it counts them).

    Returns
    -------
    GapReport
        ``scope``: what was examined, with ``assessed`` and ``not_assessed`` (places too
        thinly present to assess stage by stage, and why), ``modelled`` (``left out`` or
        ``included``) and ``coverage`` (the sources about the scope, what each covers and
        how many of its records cite it; the sources named but not described; record and
        evidence counts; the stages held only by assumed services).
        ``missing_stages``: pathway stages no recorded actor carries (a city: its local
        stages; a country: local and national ones and the needs at every stage).
        ``missing_sectors``: sectors a local network lacks compared with the model's
        expectation for its country (where one is set) and with the other local networks
        of its country. ``missing_handovers``: hand-overs of the model where the scope has
        actors of the first stage, but none carries the second stage itself or has a tie
        that carries cases to an actor of it (anywhere; a directed tie counts in its own
        direction only). ``cross_sector_pairs``: sectors present in the same city that no
        tie or shared network links. ``missing_return_ties``: pairs of countries that work
        together but have no recorded return route. ``stale``: never or long unverified
        institutions and contacts. ``single_points_of_failure``: institutions whose
        departure cuts others off the chains that carry cases, or removes the last carrier
        of a hand-over. Every finding but the stale ones has ``grade``, ``grade_label`` and
        ``sources``.

    Raises
    ------
    NotFound
        For a city or country the network does not have, listing those it has.
    """
    if stale_months < 0:
        raise NetmapError("stale months must be 0 or more")
    taxonomy = load_taxonomy()
    if index is None:
        if not include_modelled:
            network = leave_out_modelled(network)
        places = Places(network)
        if city is not None:
            code = check_country(network, country) if country else None
            network = _around(network, places.resolve_one(city, code).country)
        actors = _Actors(actor_table(network, places), taxonomy)
        everything = np.ones(len(actors.index), dtype=bool)
        all_ties = _Ties.touching(network.ties, actors, everything)
        coverage = SourceCoverage.build(network, places, actors.place)
        memberships = _Memberships.of(network, actors, taxonomy)
    else:
        network = index.network
        include_modelled = index.include_modelled
        places, actors, all_ties = index.places, index.actors, index.ties
        coverage, memberships = index.coverage, index.memberships
    today = today or date.today()
    scope, units, city_units, in_scope, assessed_countries = _scope(
        network, actors, places, all_ties, city, country
    )
    ties = all_ties.touching_scope(in_scope)
    if index is None:
        records = _records_in_scope(network, actors, in_scope)
    else:
        records = index.records(in_scope)
    grader = _Grader(coverage)
    carriers = _handover_carriers(units, actors, ties, taxonomy)
    scope["modelled"] = "included" if include_modelled else "left out"
    scope["coverage"] = {
        **coverage.report(
            scope["places"],
            records=_record_counts(network, actors, in_scope, ties),
            evidence=_evidence_counts(network, actors, in_scope),
        ),
        "assumed_only_stages": _assumed_only(units, actors, taxonomy),
    }
    return GapReport(
        scope=scope,
        missing_stages=_missing_stages(units, actors, taxonomy, grader),
        missing_sectors=_missing_sectors(
            city_units, actors, taxonomy, explicit=city is not None, grader=grader
        ),
        missing_handovers=_missing_handovers(units, actors, carriers, taxonomy, grader),
        cross_sector_pairs=_cross_sector_pairs(
            city_units, actors, ties, memberships, taxonomy, grader
        ),
        missing_return_ties=(
            []
            if city is not None
            else _missing_return_ties(
                assessed_countries,
                actors,
                ties,
                memberships,
                taxonomy,
                scope["country"],
                grader,
            )
        ),
        stale=_stale(
            records,
            stale_months,
            today,
            {key: source.title for key, source in coverage.sources.items()},
        ),
        single_points_of_failure=_single_points_of_failure(
            actors, units, in_scope, ties, carriers, taxonomy, grader, scope["places"]
        ),
    )


def _record_counts(
    network: Network, actors: _Actors, in_scope: np.ndarray, ties: _Ties
) -> dict[str, int]:
    """How many records of each kind the scope holds (ties touching it)."""
    collective = sum(1 for i in actors.ids(np.flatnonzero(in_scope)) if actors.collective[i])
    ids = set(actors.ids(np.flatnonzero(in_scope))) if not in_scope.all() else None
    participations = network.participations
    contacts = network.contacts
    if ids is not None:
        participations = participations[participations["institution_id"].isin(ids)]
        contacts = contacts[contacts["institution_id"].isin(ids)]
    return {
        "institutions": int(in_scope.sum()),
        "collective_institutions": collective,
        "ties": len(ties.source),
        "ties_that_carry_cases": int(ties.carries.sum()),
        "participations": len(participations),
        "contacts": len(contacts),
    }


def _evidence_counts(network: Network, actors: _Actors, in_scope: np.ndarray) -> dict[str, int]:
    """How the scope's institutions, ties (touching it) and participations are known."""
    counts: Counter = Counter()
    ids = None if in_scope.all() else set(actors.ids(np.flatnonzero(in_scope)))
    for kind, columns in (
        (RecordKind.INSTITUTION, ("id",)),
        (RecordKind.TIE, ("source_id", "target_id")),
        (RecordKind.PARTICIPATION, ("institution_id",)),
    ):
        frame = network[kind]
        if "evidence" not in frame.columns:
            continue
        if ids is not None:
            touching = np.zeros(len(frame), dtype=bool)
            for column in columns:
                touching |= frame[column].isin(ids).to_numpy()
            frame = frame[touching]
        counts.update(frame["evidence"].fillna("reported").tolist())
    return {key: counts.get(key, 0) for key in load_taxonomy().evidence}


def _records_in_scope(network: Network, actors: _Actors, in_scope: np.ndarray) -> list[_Record]:
    """The institutions in scope and their contacts, as records (institutions first)."""
    institutions, contacts = network.institutions, network.contacts
    if not in_scope.all():
        institutions = institutions[in_scope[actors.positions(institutions["id"])]]
        contacts = contacts[contacts["institution_id"].isin(set(institutions["id"]))]
    institution_records, contact_records = _records(institutions, contacts)
    return [*institution_records, *contact_records]


def _around(network: Network, country: str) -> Network:
    """The part of ``network`` that the findings of a city in ``country`` read: the
    institutions of the country (its other local networks, actors elsewhere in it), the
    ties touching them, the institutions at the other ends of those ties, and their
    contacts. At 100,000 institutions, working out the actors of the whole network for one
    city took most of its time."""
    institutions, ties, contacts = network.institutions, network.ties, network.contacts
    in_country = institutions["id"][institutions["country"] == country]
    ties = ties[ties["source_id"].isin(in_country) | ties["target_id"].isin(in_country)]
    around = pd.concat([in_country, ties["source_id"], ties["target_id"]]).unique()
    institutions = institutions[institutions["id"].isin(around)]
    contacts = contacts[contacts["institution_id"].isin(institutions["id"])]
    return Network(
        {
            **network.tables,
            RecordKind.INSTITUTION: institutions,
            RecordKind.TIE: ties,
            RecordKind.CONTACT: contacts,
        }
    )


def coverage(
    network: Network,
    by: Literal["stage", "sector"] = "stage",
    level: Literal["city", "country"] = "city",
    index: GapIndex | None = None,
) -> pd.DataFrame:
    """Return how many institutions of each place carry each stage (or belong to each sector).

    Rows are places, in country then city order: ``"Niš, RS"`` for cities, the ISO code for
    countries (index name ``place``). Columns are every stage key in pathway order, or every
    sector key in taxonomy order, including those no institution has. Values are counts of
    institutions (an institution carries several stages, so a row may sum to more than the
    place's institutions). Suited to a heatmap. ``index``: a :class:`GapIndex` of
    ``network`` to reuse (the actor table is then not read again).
    """
    if by not in ("stage", "sector"):
        raise NetmapError(f"unknown coverage {by!r} (one of: stage, sector)")
    if level not in ("city", "country"):
        raise NetmapError(f"unknown level {level!r} (one of: city, country)")
    taxonomy = load_taxonomy()
    actors = index.actors if index is not None else _Actors(actor_table(network), taxonomy)
    columns = (
        [s.key for s in sorted(taxonomy.stages.values(), key=lambda s: s.order)]
        if by == "stage"
        else list(taxonomy.sectors)
    )
    order = actors.frame.sort_values(["country", "place"], kind="stable").index
    rows: dict[str, Counter] = {}
    for i in order:
        place = actors.place_label[i] if level == "city" else actors.country[i]
        counter = rows.setdefault(place, Counter())
        keys = actors.stages[i] if by == "stage" else (actors.sector[i],)
        counter.update(keys)
    frame = pd.DataFrame(
        [[rows[place][key] for key in columns] for place in rows],
        index=pd.Index(list(rows), name="place"),
        columns=columns,
        dtype="int64",
    )
    return frame


def cross_border_matrix(network: Network) -> pd.DataFrame:
    """Return the number of ties between the institutions of each pair of countries.

    A square, symmetric frame with the network's country codes (sorted) as index and
    columns; the diagonal counts ties within a country. Direction is ignored.
    """
    country = dict(zip(network.institutions["id"], network.institutions["country"], strict=True))
    codes = sorted(set(country.values()))
    pairs: Counter = Counter()
    for source, target in zip(network.ties["source_id"], network.ties["target_id"], strict=True):
        a, b = country.get(source), country.get(target)
        if a is not None and b is not None:
            pairs[(a, b)] += 1
            if a != b:
                pairs[(b, a)] += 1
    frame = pd.DataFrame(
        [[pairs[(a, b)] for b in codes] for a in codes],
        index=pd.Index(codes, name="country"),
        columns=codes,
        dtype="int64",
    )
    return frame
