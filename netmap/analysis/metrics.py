"""Network metrics of a cooperation graph: who is central, who holds it together, who
brokers between sectors and countries, and how it falls into communities.

Each metric reads the ties that mean what it measures (taxonomy.toml): who lies on the
chains between others, whose departure would cut a chain, and who brokers between
sectors and countries are measured over the ties a victim's case can travel along
(referral, case coordination, a protocol with referral duties, a joint operation); who is
central, how tightly knit and in which community, over every tie that means two
institutions work together (funding and hosting do not). A funder is not a referral route.

The heavy algorithms run on a compiled library when one is installed
(:mod:`netmap.analysis.kernels`: python-igraph), with networkx's answers; the result says
which library ran (``engine``).

The sentences a person reads (the note on betweenness, why each broker is one) are kept
as data and written when read, in the language current then: the metrics of a large
network are worked out once, in a thread of their own, for readers of every language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from netmap.analysis import kernels
from netmap.analysis.actors import in_sentence
from netmap.analysis.kernels import PairGraph
from netmap.codes import country_name
from netmap.graph import (
    NetworkFilter,
    TieUse,
    filter_network,
    serves,
    shared_initiatives,
    tie_kinds_for,
)
from netmap.i18n import N_, current_language, format_number, ngettext
from netmap.i18n import gettext as _
from netmap.store.base import Network
from netmap.taxonomy import Taxonomy, load_taxonomy

# Exact betweenness costs one breadth-first search per institution (O(n·m)). Measured on
# the development machine (2 cores, networkx 3.6) on synthetic networks shaped like ours
# (local clusters of ~10, a few ties between cities): 500 institutions / 1,040 pairs 0.5 s,
# 1,000 / 2,120 2.5 s, 2,000 / 4,190 16 s, 4,000 / 8,400 66 s. Exact up to 1,000
# institutions keeps a commission's network exact at a few seconds at most; above that
# betweenness is estimated from a fixed-seed sample of source institutions, as many as fit
# in about the same work (PIVOT_BUDGET pairs visited; at 2,000 institutions 476 pivots,
# 3.4 s; at 10,000 institutions / 23,500 pairs 84 pivots, 5 s), never fewer than MIN_PIVOTS.
# On igraph (netmap.analysis.kernels) the same pivots take a fortieth of the time; the
# limits stay those of networkx, so both engines give the same answer.
EXACT_BETWEENNESS_LIMIT = 1000
PIVOT_BUDGET = 2_000_000
MIN_PIVOTS = 64
MAX_PIVOTS = 500


#: Which ties each metric reads (see the module's docstring).
TIES_USED: dict[str, TieUse] = {
    "degree": "working",
    "pagerank": "working",
    "core_number": "working",
    "communities": "working",
    "density": "working",
    "isolated": "working",
    "cross_border_share": "working",
    "reciprocity": "working",
    "betweenness": "cases",
    "articulation_points": "cases",
    "bridges": "cases",
    "brokers": "cases",
}

#: The steps of :func:`metrics` in order, by key, as a progress display names them: English
#: message ids, shown translated (``gettext(METRIC_STEPS[key])``, or :func:`step_name`).
METRIC_STEPS = {
    "pairs": N_("Counting each pair of partners once"),
    "betweenness": N_("Betweenness: who lies on the chains between others"),
    "pagerank": N_("PageRank: influence"),
    "cores": N_("Cores: the most tightly knit groups"),
    "communities": N_("Communities (Leiden, or Louvain on networkx)"),
    "cut_points": N_("Single points of failure and bridges"),
    "brokers": N_("Brokers between sectors and countries"),
    # Translators: the last step of working out the metrics: putting the results in tables.
    "tables": N_("Tables"),
}


def step_name(key: str) -> str:
    """The name of step ``key`` of :data:`METRIC_STEPS` in the current language (``""``,
    the end: "Done")."""
    # Translators: the metrics are worked out (the last message of their progress).
    return _(METRIC_STEPS[key]) if key in METRIC_STEPS else _("Done")


#: Hears ``(steps done, steps in all, the step starting)`` before each step of
#: :func:`metrics`, and ``(all, all, "")`` when it is done.
MetricsProgress = Callable[[int, int, str], None]


@dataclass
class NetworkMetrics:
    """The metrics of one network; see :func:`metrics`.

    ``nodes`` has one row per institution (index: institution id) with ``name``,
    ``country``, ``city``, ``sector``, ``degree`` (distinct partners it works with),
    ``ties`` (ties of any kind), ``betweenness`` (normalised, 0–1, over ties that carry
    cases), ``pagerank`` (sums to 1), ``community`` (index into ``communities``),
    ``core_number``, ``articulation`` (bool: a cut in the chains that carry cases),
    ``sector_brokerage`` and ``country_brokerage`` (pairs of partners from different
    sectors or countries, with no case-carrying tie of their own, that the institution
    links by such ties). ``ties_used`` says which ties each metric reads; ``case_ties``
    and ``working_ties`` count them. ``engine`` names the library that ran the
    algorithms (``"igraph 1.0.0"``, ``"networkx 3.6.1"``); ``betweenness_note`` says it
    too, as the app and the command line show that note.

    ``brokers`` (one row per broker, ``why`` it is one in words) and ``betweenness_note``
    are written when read, in the current language, from ``broker_table`` and
    ``broker_reasons``, and from ``betweenness_pivots`` (0: exact) and ``seed``.
    """

    nodes: pd.DataFrame
    articulation_points: list[str]
    bridges: list[tuple[str, str]]
    isolated: list[str]
    communities: list[list[str]]
    density: float
    reciprocity: float | None
    cross_border_share: dict[str, float]
    broker_table: pd.DataFrame
    betweenness_exact: bool
    institutions: int = 0
    ties: int = 0
    working_ties: int = 0
    case_ties: int = 0
    engine: str = ""
    betweenness_pivots: int = 0
    seed: int = 42
    broker_reasons: list[BrokerReason] = field(default_factory=list)
    _whys: dict[str, list[str]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def ties_used(self) -> dict[str, TieUse]:
        return dict(TIES_USED)

    @property
    def betweenness_note(self) -> str:
        """Whether betweenness is exact or estimated, and which library worked it out."""
        n = self.institutions
        if not self.betweenness_pivots:
            note = ngettext(
                "Exact betweenness over all %(count)s institution, along ties that carry cases.",
                "Exact betweenness over all %(count)s institutions, along ties that carry cases.",
                n,
            ) % {"count": format_number(n)}
        else:
            note = ngettext(
                "Betweenness along ties that carry cases, estimated from %(pivots)s of "
                "%(count)s institution chosen at random (seed %(seed)s); it is exact up to "
                "%(limit)s institutions.",
                "Betweenness along ties that carry cases, estimated from %(pivots)s of "
                "%(count)s institutions chosen at random (seed %(seed)s); it is exact up to "
                "%(limit)s institutions.",
                n,
            ) % {
                "pivots": format_number(self.betweenness_pivots),
                "count": format_number(n),
                "seed": self.seed,
                "limit": format_number(EXACT_BETWEENNESS_LIMIT),
            }
        # Translators: the library that worked out the metrics: "igraph 1.0.0".
        worked = _("Worked out with %(engine)s.") % {"engine": self.engine}
        return f"{note} {worked}"

    @property
    def brokers(self) -> pd.DataFrame:
        """The brokers (see the class), each with ``why`` in the current language."""
        language = current_language()
        if language not in self._whys:
            self._whys[language] = [_broker_why(reason) for reason in self.broker_reasons]
        return self.broker_table.assign(why=self._whys[language])

    def to_json(self) -> dict[str, Any]:
        """Return the metrics as JSON-ready plain data: shares and densities rounded to 6
        places; betweenness and PageRank, which are tiny in a big network (about 1/n), to 6
        significant digits."""
        nodes = self.nodes
        ids = nodes.index.tolist()

        def per_institution(values: list[Any]) -> dict[str, Any]:
            return dict(zip(ids, values, strict=True))

        brokers = self.brokers
        return {
            "institutions": self.institutions,
            "ties": self.ties,
            "working_ties": self.working_ties,
            "case_ties": self.case_ties,
            "ties_used": self.ties_used,
            "engine": self.engine,
            "density": round(self.density, 6),
            "reciprocity": None if self.reciprocity is None else round(self.reciprocity, 6),
            "articulation_points": list(self.articulation_points),
            "bridges": [list(pair) for pair in self.bridges],
            "isolated": list(self.isolated),
            "communities": [list(c) for c in self.communities],
            "betweenness": per_institution(_significant(nodes["betweenness"])),
            "betweenness_exact": self.betweenness_exact,
            "betweenness_note": self.betweenness_note,
            "degree": per_institution(nodes["degree"].astype(int).tolist()),
            "pagerank": per_institution(_significant(nodes["pagerank"])),
            "core_number": per_institution(nodes["core_number"].astype(int).tolist()),
            "community": per_institution(nodes["community"].astype(int).tolist()),
            "cross_border_share": {k: round(v, 6) for k, v in self.cross_border_share.items()},
            "brokers": [
                {
                    "id": broker,
                    "name": name,
                    "country": country,
                    "sector": sector,
                    "sector_brokerage": by_sector,
                    "country_brokerage": by_country,
                    "betweenness": betweenness,
                    "why": why,
                }
                for broker, name, country, sector, by_sector, by_country, betweenness, why in zip(
                    brokers.index.tolist(),
                    brokers["name"].tolist(),
                    brokers["country"].tolist(),
                    brokers["sector"].tolist(),
                    brokers["sector_brokerage"].astype(int).tolist(),
                    brokers["country_brokerage"].astype(int).tolist(),
                    _significant(brokers["betweenness"]),
                    brokers["why"].tolist(),
                    strict=True,
                )
            ],
        }


@dataclass(frozen=True)
class BrokerReason:
    """Why an institution brokers, as data: how many pairs of partners from different
    countries and sectors it links (by case-carrying ties, the pair having none of its
    own), the countries (codes) and sectors (keys) they come from, most often first, four
    at most, and whether there are more."""

    name: str
    countries: int = 0
    country_values: tuple[Any, ...] = ()
    more_countries: bool = False
    sectors: int = 0
    sector_values: tuple[Any, ...] = ()
    more_sectors: bool = False


def _values_text(labels: Sequence[str], more: bool) -> str:
    shown = ", ".join(labels)
    # Translators: a list of countries or sectors cut short: "Greece, Serbia and others".
    return _("%(values)s and others") % {"values": shown} if more else shown


def _broker_why(reason: BrokerReason) -> str:
    """``reason`` in a sentence of the current language."""
    clauses = []
    if reason.countries:
        countries = [country_name(code) for code in reason.country_values]
        clauses.append(
            ngettext(
                # Translators: said of an institution, after its name ("ARSIS links 3 pairs
                # of partners…"): the pairs of partners it links have no tie of their own that
                # a victim's case can travel along.
                "links %(count)s pair of partners from different countries (%(values)s) that "
                "have no case-carrying tie of their own",
                "links %(count)s pairs of partners from different countries (%(values)s) that "
                "have no case-carrying tie of their own",
                reason.countries,
            )
            % {
                "count": format_number(reason.countries),
                "values": _values_text(countries, reason.more_countries),
            }
        )
    if reason.sectors:
        taxonomy = load_taxonomy()
        sectors = [in_sentence(taxonomy.label("sectors", key)) for key in reason.sector_values]
        clauses.append(
            ngettext(
                # Translators: said of an institution, after its name ("ARSIS links 3 pairs
                # of partners…"): the pairs of partners it links have no tie of their own that
                # a victim's case can travel along.
                "links %(count)s pair of partners from different sectors (%(values)s) that "
                "have no case-carrying tie of their own",
                "links %(count)s pairs of partners from different sectors (%(values)s) that "
                "have no case-carrying tie of their own",
                reason.sectors,
            )
            % {
                "count": format_number(reason.sectors),
                "values": _values_text(sectors, reason.more_sectors),
            }
        )
    if len(clauses) == 2:
        # Translators: a broker's name, then what it links between countries and between
        # sectors (each "links … of their own").
        return _("%(name)s %(countries)s; and %(sectors)s.") % {
            "name": reason.name,
            "countries": clauses[0],
            "sectors": clauses[1],
        }
    # Translators: a broker's name, then what it links ("links … of their own").
    return _("%(name)s %(reason)s.") % {"name": reason.name, "reason": "".join(clauses)}


def _significant(values: pd.Series, digits: int = 6) -> list[float]:
    """The values as floats rounded to ``digits`` significant digits."""
    return [float(f"{value:.{digits}g}") for value in values.to_numpy(dtype=float).tolist()]


@dataclass
class _Ties:
    """Every tie of a network as arrays, ends as positions in ``ids`` (sorted): what each
    metric reads, from a graph or from a snapshot alike."""

    ids: list[str]
    attributes: dict[str, list[Any]]  # name, country, city, sector: one per id
    source: np.ndarray
    target: np.ndarray
    works: np.ndarray  # the two work together (the tie carries cases or introduces)
    carries: np.ndarray  # a case can travel along it
    strength: np.ndarray
    directed: list[tuple[str, str]]  # (source id, target id) of directed working ties

    @classmethod
    def of_graph(cls, graph: nx.Graph) -> _Ties:
        """The ties of an institution graph or a cooperation graph (one pass over them)."""
        ids = sorted(graph.nodes)
        position = {node: i for i, node in enumerate(ids)}
        working_kinds, case_kinds = tie_kinds_for("working"), tie_kinds_for("cases")
        source, target, works, carries, strength, directed = [], [], [], [], [], []
        for u, v, data in graph.edges(data=True):
            source.append(position[u])
            target.append(position[v])
            working = serves(data, "working", working_kinds)
            works.append(working)
            carries.append(working and serves(data, "cases", case_kinds))
            strength.append(data.get("strength") or 2)
            if working and data.get("directed") and data.get("source_id") and data.get("target_id"):
                directed.append((data["source_id"], data["target_id"]))
        nodes = graph.nodes
        attributes = {
            "name": [nodes[i].get("name", i) for i in ids],
            **{key: [nodes[i].get(key) for i in ids] for key in ("country", "city", "sector")},
        }
        return cls(
            ids, attributes, np.array(source, dtype=np.int64), np.array(target, dtype=np.int64),
            np.array(works, dtype=bool), np.array(carries, dtype=bool),
            np.array(strength, dtype=np.int64), directed,
        )  # fmt: skip

    @classmethod
    def of_network(cls, network: Network, implied: bool) -> _Ties:
        """The ties of a (filtered) snapshot, as :func:`netmap.graph.institution_graph`
        would hold them, without building it; with ``implied``, its co-participation ties."""
        network.require_whole("the metrics")
        taxonomy = load_taxonomy()
        institutions, ties = network.institutions, network.ties
        index = pd.Index(sorted(institutions["id"]))
        source = index.get_indexer(ties["source_id"])
        target = index.get_indexer(ties["target_id"])
        if (source < 0).any() or (target < 0).any():
            # An end the institutions do not list becomes a node of its own, as in a graph.
            ends = pd.concat([ties["source_id"], ties["target_id"]])
            index = pd.Index(sorted(index.union(pd.Index(ends.unique()))))
            source = index.get_indexer(ties["source_id"])
            target = index.get_indexer(ties["target_id"])
        ids = index.tolist()
        rows = institutions.set_index("id").reindex(ids)
        attributes = {
            "name": [
                i if name is None else name
                for i, name in zip(ids, _none(rows["name"]), strict=True)
            ],
            **{key: _none(rows[key]) for key in ("country", "city", "sector")},
        }
        kind = ties["kind"]
        carries = kind.isin(taxonomy.case_carrying_tie_kinds).to_numpy(dtype=bool)
        works = carries | kind.isin(taxonomy.introducing_tie_kinds).to_numpy(dtype=bool)
        strength = pd.to_numeric(ties["strength"]).fillna(2).replace(0, 2).to_numpy(np.int64)
        is_directed = ties["directed"].fillna(False).astype(bool).to_numpy() & works
        directed_ties = ties[is_directed]
        directed = [
            (a, b)
            for a, b in zip(directed_ties["source_id"], directed_ties["target_id"], strict=True)
            if a and b
        ]
        if implied:
            first, second, working = _implied_pairs(network, index, taxonomy)
            source, target = np.concatenate([source, first]), np.concatenate([target, second])
            works = np.concatenate([works, working])
            carries = np.concatenate([carries, np.zeros(len(first), dtype=bool)])
            strength = np.concatenate([strength, np.ones(len(first), dtype=np.int64)])
        return cls(ids, attributes, source, target, works, carries, strength, directed)


def _none(column: pd.Series) -> list[Any]:
    """A column's values with every missing one as None (not NaN)."""
    return column.astype(object).where(column.notna(), None).tolist()


def _implied_pairs(
    network: Network, index: pd.Index, taxonomy: Taxonomy
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The co-participation ties :func:`netmap.graph.institution_graph` adds with
    ``implied``: a pair per two institutions taking part in the same initiative, which
    works together when the initiative is of a kind whose members do."""
    members = shared_initiatives(network, taxonomy.taking_part_roles)
    kinds = dict(zip(network.initiatives["id"], network.initiatives["kind"], strict=True))
    first: list[int] = []
    second: list[int] = []
    working: list[bool] = []
    for initiative in sorted(members):
        found = index.get_indexer(pd.Index(sorted(set(members[initiative]))))
        found = found[found >= 0]
        pairs = len(found) * (len(found) - 1) // 2
        if not pairs:
            continue
        a, b = np.triu_indices(len(found), k=1)
        first.extend(found[a].tolist())
        second.extend(found[b].tolist())
        working.extend([kinds.get(initiative) in taxonomy.working_initiative_kinds] * pairs)
    return (
        np.array(first, dtype=np.int64),
        np.array(second, dtype=np.int64),
        np.array(working, dtype=bool),
    )


def _betweenness(cases: PairGraph, seed: int, engine: kernels.Engine) -> tuple[np.ndarray, int]:
    """Each node's betweenness, and from how many sampled sources (0: exact)."""
    n = cases.nodes
    if n <= EXACT_BETWEENNESS_LIMIT:
        return kernels.betweenness(cases, None, engine), 0
    pairs = max(cases.edges, 1)
    pivots = min(n, MAX_PIVOTS, max(MIN_PIVOTS, PIVOT_BUDGET // pairs))
    sources = kernels.sampled_sources(n, pivots, seed)
    return kernels.betweenness(cases, sources, engine), pivots


# Wedges (pairs of one institution's partners) looked at per round of the brokerage count:
# a few million keep its arrays within a few hundred MB.
_WEDGES_PER_ROUND = 4_000_000


def _brokerage(graph: PairGraph, values: list[Any]) -> tuple[np.ndarray, np.ndarray, list[Any]]:
    """For each node: how many pairs of its partners differ in ``values`` and have no edge
    of their own, and how often each value appears in those pairs.

    Returns the counts, a (nodes × distinct values) array of appearances, and the distinct
    values that number its columns (None among them when a node has none).
    """
    codes, labels = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    codes = codes.astype(np.int64)
    width = max(len(labels), 1)
    n = graph.nodes
    brokered = np.zeros(n, dtype=np.int64)
    spread = np.zeros(n * width, dtype=np.int64)
    start, column = graph.neighbours
    edge_keys = graph.source * n + graph.target  # ascending: pairs come sorted
    row_of = np.repeat(np.arange(n), graph.degree)
    # Each neighbour entry pairs with the entries after it in its row (partners ascending,
    # so the pair is (lower, higher)).
    later = start[row_of + 1] - np.arange(len(column)) - 1
    wedges_through = np.concatenate([[0], np.cumsum(later)])
    entry = 0
    while entry < len(column):
        stop = int(np.searchsorted(wedges_through, wedges_through[entry] + _WEDGES_PER_ROUND))
        stop = min(max(stop, entry + 1), len(column))
        counts = later[entry:stop]
        first = np.repeat(np.arange(entry, stop), counts)
        offset = np.arange(len(first)) - np.repeat(np.cumsum(counts) - counts, counts)
        second = first + offset + 1
        centre, p, q = row_of[first], column[first], column[second]
        differ = codes[p] != codes[q]
        centre, p, q = centre[differ], p[differ], q[differ]
        keys = p * n + q
        found = np.searchsorted(edge_keys, keys)
        tied = found < len(edge_keys)
        tied[tied] = edge_keys[found[tied]] == keys[tied]
        centre, p, q = centre[~tied], p[~tied], q[~tied]
        brokered += np.bincount(centre, minlength=n)
        spread += np.bincount(centre * width + codes[p], minlength=n * width)
        spread += np.bincount(centre * width + codes[q], minlength=n * width)
        entry = stop
    return brokered, spread.reshape(n, width), list(labels)


def _broker_reasons(spread: np.ndarray, values: list[Any]) -> list[tuple[tuple[Any, ...], bool]]:
    """Why each of these institutions brokers: the values the pairs it links come from,
    most often first (then by value), four at most, and whether there are more.
    ``spread`` holds rows of :func:`_brokerage`'s results."""
    if not len(spread):
        return []
    # Sort each row by count, most first, then by the value itself.
    rank = np.empty(len(values), dtype=np.int64)
    rank[sorted(range(len(values)), key=lambda i: str(values[i]))] = np.arange(len(values))
    order = np.argsort(-spread * len(values) + rank, axis=1, kind="stable")[:, :5]
    present = (spread > 0).sum(axis=1)
    reasons = []
    for top, shown_count in zip(order.tolist(), present.tolist(), strict=True):
        reasons.append((tuple(values[i] for i in top[: min(4, shown_count)]), shown_count > 4))
    return reasons


def _reciprocity(directed: list[tuple[str, str]]) -> float | None:
    pairs = set(directed)
    if not pairs:
        return None
    returned = sum(1 for a, b in pairs if (b, a) in pairs)
    return returned / len(pairs)


def _cross_border_share(ties: _Ties) -> dict[str, float]:
    """Each country's share of its working ties (counted once per country at either end)
    that cross a border."""
    codes, countries = pd.factorize(
        pd.Series(ties.attributes["country"], dtype=object), use_na_sentinel=False
    )
    width = max(len(countries), 1)
    a, b = codes[ties.source[ties.works]], codes[ties.target[ties.works]]
    crossing = a != b
    total = np.bincount(a, minlength=width) + np.bincount(b[crossing], minlength=width)
    crossed = np.bincount(a[crossing], minlength=width) + np.bincount(b[crossing], minlength=width)
    shares = {
        country: crossed[i] / total[i]
        for i, country in enumerate(countries)
        if country is not None and total[i]
    }
    return {country: float(shares[country]) for country in sorted(shares, key=str)}


def metrics(
    graph: nx.Graph,
    seed: int = 42,
    progress: MetricsProgress | None = None,
    engine: str | None = None,
) -> NetworkMetrics:
    """Return the metrics of an institution graph.

    Parameters
    ----------
    graph
        An institution graph from :func:`netmap.graph.institution_graph` (a multigraph
        keyed by tie id), or a :func:`netmap.graph.cooperation_graph`. Parallel ties
        between two institutions count once for the structure (degree, betweenness,
        articulation points, bridges, cores) and by their summed strength as ``weight``
        for PageRank and communities. Which ties each metric reads: :data:`TIES_USED`.
    seed
        Seeds the communities and, above ``EXACT_BETWEENNESS_LIMIT`` institutions, the
        sample of betweenness sources: the same graph and seed give the same result.
    progress
        Hears each step as it starts (see :data:`MetricsProgress`, :data:`METRIC_STEPS`).
    engine
        ``"igraph"`` or ``"networkx"``; by default igraph when installed (see
        :func:`netmap.analysis.kernels.engine`).

    Returns
    -------
    NetworkMetrics
        Per-institution measures in ``nodes``; articulation points (institutions whose
        departure cuts the chains that carry cases), bridges (pairs whose case-carrying
        tie is the only one between two parts), isolated institutions (no tie that means
        working together), communities (largest first, members sorted; Leiden on igraph,
        Louvain on networkx), density, reciprocity of directed ties (None without any),
        the share of each country's ties that cross a border, and brokers between sectors
        and countries. Betweenness is unweighted (hops) and normalised;
        ``betweenness_exact`` and ``betweenness_note`` say whether it was sampled;
        ``engine`` which library ran.
    """
    step = _stepper(progress)
    step("pairs")
    return _measure(_Ties.of_graph(graph), graph.number_of_edges(), seed, step, engine)


def network_metrics(
    network: Network,
    flt: NetworkFilter | None = None,
    implied: bool = False,
    seed: int = 42,
    progress: MetricsProgress | None = None,
    engine: str | None = None,
) -> NetworkMetrics:
    """Return ``metrics(institution_graph(network, flt, implied), seed)``, read straight
    from the snapshot's tables: at a million ties, building the graph of institutions
    takes longer, and several times the memory, than measuring it.

    Parameters are those of :func:`metrics` and of
    :func:`netmap.graph.institution_graph` (modelled records are left out unless
    ``flt.include_modelled``).
    """
    step = _stepper(progress)
    step("pairs")
    network = filter_network(network, flt or NetworkFilter())
    ties = _Ties.of_network(network, implied)
    return _measure(ties, len(ties.source), seed, step, engine)


def _measure(
    ties: _Ties, tie_count: int, seed: int, step: Callable[[str], None], engine: str | None
) -> NetworkMetrics:
    engine_name = kernels.engine(engine)
    n = len(ties.ids)
    # One edge per pair, weighted by the summed strength of its ties (1 weak, 3 strong).
    working = PairGraph.from_pairs(n, ties.source[ties.works], ties.target[ties.works],
                                   ties.strength[ties.works])  # fmt: skip
    cases = PairGraph.from_pairs(n, ties.source[ties.carries], ties.target[ties.carries],
                                 ties.strength[ties.carries])  # fmt: skip
    step("betweenness")
    betweenness, pivots = _betweenness(cases, seed, engine_name)
    engine_used = kernels.engine_version(engine_name)
    step("pagerank")
    pagerank = kernels.pagerank(working, engine_name)
    step("cores")
    cores = kernels.core_number(working, engine_name)
    step("communities")
    groups = kernels.communities(working, seed, engine_name)
    community = np.full(n, -1, dtype=np.int64)
    for number, members in enumerate(groups):
        community[members] = number
    ids = ties.ids
    communities = [[ids[i] for i in members] for members in groups]
    step("cut_points")
    cut_points = kernels.articulation_points(cases, engine_name)
    articulation = [ids[i] for i in cut_points]
    bridges = [(ids[a], ids[b]) for a, b in kernels.bridges(cases, engine_name)]
    degree = working.degree
    isolated = [ids[i] for i in np.flatnonzero(degree == 0)]
    step("brokers")
    by_sector, sector_spread, sectors = _brokerage(cases, ties.attributes["sector"])
    by_country, country_spread, countries = _brokerage(cases, ties.attributes["country"])
    step("tables")
    is_cut = np.zeros(n, dtype=bool)
    is_cut[cut_points] = True
    nodes = pd.DataFrame(
        {
            "name": ties.attributes["name"],
            "country": ties.attributes["country"],
            "city": ties.attributes["city"],
            "sector": ties.attributes["sector"],
            "degree": degree,
            "ties": np.bincount(ties.source, minlength=n) + np.bincount(ties.target, minlength=n),
            "betweenness": betweenness.astype(float),
            "pagerank": pagerank.astype(float),
            "community": community,
            "core_number": cores,
            "articulation": is_cut,
            "sector_brokerage": by_sector,
            "country_brokerage": by_country,
        },
        index=pd.Index(ids, name="id", dtype=object),
    )
    for text in ("name", "country", "city", "sector"):  # missing stays None, not NaN
        nodes[text] = nodes[text].astype(object).where(nodes[text].notna(), None)
    brokers, reasons = _brokers(nodes, (sector_spread, sectors), (country_spread, countries))
    result = NetworkMetrics(
        nodes=nodes,
        articulation_points=articulation,
        bridges=bridges,
        isolated=isolated,
        communities=communities,
        density=2 * working.edges / (n * (n - 1)) if n > 1 else 0.0,
        reciprocity=_reciprocity(ties.directed),
        cross_border_share=_cross_border_share(ties),
        broker_table=brokers,
        broker_reasons=reasons,
        betweenness_exact=not pivots,
        betweenness_pivots=pivots,
        seed=seed,
        institutions=n,
        ties=tie_count,
        working_ties=working.edges,
        case_ties=cases.edges,
        engine=engine_used,
    )
    step("")
    return result


def _brokers(
    nodes: pd.DataFrame,
    by_sector: tuple[np.ndarray, list[Any]],
    by_country: tuple[np.ndarray, list[Any]],
) -> tuple[pd.DataFrame, list[BrokerReason]]:
    """The institutions that broker between sectors or countries, most pairs first, and
    why each does (in the same order)."""
    sector_count = nodes["sector_brokerage"].to_numpy()
    country_count = nodes["country_brokerage"].to_numpy()
    chosen = np.flatnonzero((sector_count > 0) | (country_count > 0))
    picked = nodes.iloc[chosen]
    by_country_why = _broker_reasons(by_country[0][chosen], by_country[1])
    by_sector_why = _broker_reasons(by_sector[0][chosen], by_sector[1])
    sectors, countries = sector_count[chosen], country_count[chosen]
    reasons = [
        BrokerReason(
            name=name,
            countries=int(in_countries),
            country_values=country_values if in_countries else (),
            more_countries=bool(in_countries and more_countries),
            sectors=int(in_sectors),
            sector_values=sector_values if in_sectors else (),
            more_sectors=bool(in_sectors and more_sectors),
        )
        for name, in_countries, (country_values, more_countries), in_sectors, (
            sector_values,
            more_sectors,
        ) in zip(picked["name"], countries, by_country_why, sectors, by_sector_why, strict=True)
    ]
    brokers = pd.DataFrame(
        {
            "id": picked.index,
            "name": picked["name"].to_numpy(),
            "country": picked["country"].to_numpy(),
            "sector": picked["sector"].to_numpy(),
            "sector_brokerage": sectors,
            "country_brokerage": countries,
            "betweenness": picked["betweenness"].to_numpy(dtype=float),
            "_reason": pd.Series(reasons, dtype=object),
        }
    )
    if not brokers.empty:
        brokers["_rank"] = brokers["sector_brokerage"] + brokers["country_brokerage"]
        brokers = brokers.sort_values(
            ["_rank", "betweenness", "id"], ascending=[False, False, True], kind="stable"
        ).drop(columns="_rank")
    ordered = list(brokers["_reason"])
    return brokers.drop(columns="_reason").set_index("id"), ordered


def _stepper(progress: MetricsProgress | None) -> Callable[[str], None]:
    """Tell ``progress`` that step ``key`` of :data:`METRIC_STEPS` starts (``""``: all
    done); the steps done are those before it."""
    order = list(METRIC_STEPS)

    def step(key: str) -> None:
        if progress is not None:
            progress(order.index(key) if key else len(order), len(order), key)

    return step
