"""Network metrics of a cooperation graph: who is central, who holds it together, who
brokers between sectors and countries, and how it falls into communities.

Each metric reads the ties that mean what it measures (taxonomy.toml): who lies on the
chains between others, whose departure would cut a chain, and who brokers between
sectors and countries are measured over the ties a victim's case can travel along
(referral, case coordination, a protocol with referral duties, a joint operation); who is
central, how tightly knit and in which community, over every tie that means two
institutions work together (funding and hosting do not). A funder is not a referral route.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import pandas as pd

from netmap.analysis.actors import in_sentence
from netmap.codes import country_name
from netmap.graph import TieUse, serves, tie_kinds_for, tie_strength
from netmap.taxonomy import load_taxonomy

# Exact betweenness costs one breadth-first search per institution (O(n·m)). Measured on
# the development machine (2 cores, networkx 3.6) on synthetic networks shaped like ours
# (local clusters of ~10, a few ties between cities): 500 institutions / 1,040 pairs 0.5 s,
# 1,000 / 2,120 2.5 s, 2,000 / 4,190 16 s, 4,000 / 8,400 66 s. Exact up to 1,000
# institutions keeps a commission's network exact at a few seconds at most; above that
# betweenness is estimated from a fixed-seed sample of source institutions, as many as fit
# in about the same work (PIVOT_BUDGET pairs visited; at 2,000 institutions 476 pivots,
# 3.4 s; at 10,000 institutions / 23,500 pairs 84 pivots, 5 s), never fewer than MIN_PIVOTS.
# Larger networks can run the same calls on a networkx backend (nx-parallel).
EXACT_BETWEENNESS_LIMIT = 1000
PIVOT_BUDGET = 2_000_000
MIN_PIVOTS = 64
MAX_PIVOTS = 500


#: The steps of :func:`metrics` in order, by key, as a progress display names them. At
#: 100,000 institutions they take minutes, most of it betweenness and communities.
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

METRIC_STEPS = {
    "pairs": "Counting each pair of partners once",
    "betweenness": "Betweenness: who lies on the chains between others",
    "pagerank": "PageRank: influence",
    "cores": "Cores: the most tightly knit groups",
    "communities": "Communities (Louvain)",
    "cut_points": "Single points of failure and bridges",
    "brokers": "Brokers between sectors and countries",
    "tables": "Tables",
}

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
    and ``working_ties`` count them.
    """

    nodes: pd.DataFrame
    articulation_points: list[str]
    bridges: list[tuple[str, str]]
    isolated: list[str]
    communities: list[list[str]]
    density: float
    reciprocity: float | None
    cross_border_share: dict[str, float]
    brokers: pd.DataFrame
    betweenness_exact: bool
    betweenness_note: str
    institutions: int = 0
    ties: int = 0
    working_ties: int = 0
    case_ties: int = 0

    @property
    def ties_used(self) -> dict[str, TieUse]:
        return dict(TIES_USED)

    def to_json(self) -> dict[str, Any]:
        """Return the metrics as JSON-ready plain data (floats rounded to 6 places)."""
        nodes = self.nodes
        return {
            "institutions": self.institutions,
            "ties": self.ties,
            "working_ties": self.working_ties,
            "case_ties": self.case_ties,
            "ties_used": self.ties_used,
            "density": round(self.density, 6),
            "reciprocity": None if self.reciprocity is None else round(self.reciprocity, 6),
            "articulation_points": list(self.articulation_points),
            "bridges": [list(pair) for pair in self.bridges],
            "isolated": list(self.isolated),
            "communities": [list(c) for c in self.communities],
            "betweenness": {k: round(float(v), 6) for k, v in nodes["betweenness"].items()},
            "betweenness_exact": self.betweenness_exact,
            "betweenness_note": self.betweenness_note,
            "degree": {k: int(v) for k, v in nodes["degree"].items()},
            "pagerank": {k: round(float(v), 6) for k, v in nodes["pagerank"].items()},
            "core_number": {k: int(v) for k, v in nodes["core_number"].items()},
            "community": {k: int(v) for k, v in nodes["community"].items()},
            "cross_border_share": {k: round(v, 6) for k, v in self.cross_border_share.items()},
            "brokers": [
                {
                    "id": index,
                    "name": row["name"],
                    "country": row["country"],
                    "sector": row["sector"],
                    "sector_brokerage": int(row["sector_brokerage"]),
                    "country_brokerage": int(row["country_brokerage"]),
                    "betweenness": round(float(row["betweenness"]), 6),
                    "why": row["why"],
                }
                for index, row in self.brokers.iterrows()
            ],
        }


def _betweenness(graph: nx.Graph, seed: int) -> tuple[dict[str, float], bool, str]:
    n = graph.number_of_nodes()
    if n <= EXACT_BETWEENNESS_LIMIT:
        note = f"Exact betweenness over all {n} institutions, along ties that carry cases."
        return nx.betweenness_centrality(graph, normalized=True), True, note
    pairs = max(graph.number_of_edges(), 1)
    pivots = min(n, MAX_PIVOTS, max(MIN_PIVOTS, PIVOT_BUDGET // pairs))
    note = (
        f"Betweenness along ties that carry cases, estimated from {pivots} of {n} "
        f"institutions chosen at random (seed {seed}); it is exact up to "
        f"{EXACT_BETWEENNESS_LIMIT} institutions."
    )
    values = nx.betweenness_centrality(graph, k=pivots, normalized=True, seed=seed)
    return values, False, note


def _communities(graph: nx.Graph, seed: int) -> list[list[str]]:
    if graph.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    members = [sorted(c) for c in found]
    return sorted(members, key=lambda c: (-len(c), c[0]))


def _brokerage(graph: nx.Graph, attribute: str) -> dict[str, tuple[int, Counter]]:
    """For each node: how many pairs of its partners differ in ``attribute`` and have no tie
    of their own, and how often each value of ``attribute`` appears in those pairs."""
    partners_of = {node: set(graph.adj[node]) for node in graph.nodes}
    value = {node: graph.nodes[node].get(attribute) for node in graph.nodes}
    result: dict[str, tuple[int, Counter]] = {}
    for node in graph.nodes:
        partners = sorted(partners_of[node])
        spread: Counter = Counter()
        brokered = 0
        if len({value[p] for p in partners}) > 1:
            for p, q in itertools.combinations(partners, 2):
                if value[p] != value[q] and q not in partners_of[p]:
                    brokered += 1
                    spread[value[p]] += 1
                    spread[value[q]] += 1
        result[node] = (brokered, spread)
    return result


def _broker_reason(kind: str, count: int, spread: Counter, label) -> str:
    top = [label(value) for value, _ in sorted(spread.items(), key=lambda kv: (-kv[1], kv[0]))]
    shown = ", ".join(top[:4]) + (" and others" if len(top) > 4 else "")
    pairs = "pair" if count == 1 else "pairs"
    return (
        f"links {count:,} {pairs} of partners from different {kind} ({shown}) that have no "
        "case-carrying tie of their own"
    )


def _reciprocity(multigraph: nx.Graph, working: frozenset[str] | None) -> float | None:
    directed = set()
    for _, _, data in multigraph.edges(data=True):
        if not serves(data, "working", working):
            continue
        if data.get("directed") and data.get("source_id") and data.get("target_id"):
            directed.add((data["source_id"], data["target_id"]))
    if not directed:
        return None
    returned = sum(1 for a, b in directed if (b, a) in directed)
    return returned / len(directed)


def _cross_border_share(multigraph: nx.Graph, working: frozenset[str] | None) -> dict[str, float]:
    total: Counter = Counter()
    crossing: Counter = Counter()
    for u, v, data in multigraph.edges(data=True):
        if not serves(data, "working", working):
            continue
        a, b = multigraph.nodes[u].get("country"), multigraph.nodes[v].get("country")
        for country in {a, b}:
            total[country] += 1
            if a != b:
                crossing[country] += 1
    return {c: crossing[c] / total[c] for c in sorted(total, key=str) if c is not None}


def _structures(graph: nx.Graph) -> tuple[nx.Graph, nx.Graph]:
    """Return one edge per pair of institutions that work together, weighted by the summed
    strength of those ties, and the same over the ties that carry cases; every node in
    both, with its sector and country: all the metrics read.

    The weights and the order of nodes and edges are those of
    :func:`netmap.graph.cooperation_graph` for ``working`` and ``cases``, so seeded results
    stay the same; without its lists of tie ids and kinds per pair, a million ties take a
    third of the memory.
    """
    working_kinds, case_kinds = tie_kinds_for("working"), tie_kinds_for("cases")
    working: dict[tuple[str, str], int] = {}
    cases: dict[tuple[str, str], int] = {}
    for u, v, data in graph.edges(data=True):
        if not serves(data, "working", working_kinds):
            continue
        pair = (u, v) if u <= v else (v, u)
        strength = tie_strength(data.get("strength"))
        working[pair] = working.get(pair, 0) + strength
        if serves(data, "cases", case_kinds):
            cases[pair] = cases.get(pair, 0) + strength
    built = []
    for weights in (working, cases):
        structure = nx.Graph()
        for node in sorted(graph.nodes):
            data = graph.nodes[node]
            structure.add_node(node, sector=data.get("sector"), country=data.get("country"))
        structure.add_weighted_edges_from((u, v, weights[(u, v)]) for u, v in sorted(weights))
        built.append(structure)
    return built[0], built[1]


def metrics(
    graph: nx.Graph, seed: int = 42, progress: MetricsProgress | None = None
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
        Seeds Louvain and, above ``EXACT_BETWEENNESS_LIMIT`` institutions, the sample of
        betweenness sources: the same graph and seed give the same result.
    progress
        Hears each step as it starts (see :data:`MetricsProgress`, :data:`METRIC_STEPS`).

    Returns
    -------
    NetworkMetrics
        Per-institution measures in ``nodes``; articulation points (institutions whose
        departure cuts the chains that carry cases), bridges (pairs whose case-carrying
        tie is the only one between two parts), isolated institutions (no tie that means
        working together), Louvain communities (largest first, members
        sorted), density, reciprocity of directed ties (None without any), the share of each
        country's ties that cross a border, and brokers between sectors and countries.
        Betweenness is unweighted (hops) and normalised; ``betweenness_exact`` and
        ``betweenness_note`` say whether it was sampled.
    """
    step = _stepper(progress)
    step("pairs")
    simple, cases = _structures(graph)
    taxonomy = load_taxonomy()
    step("betweenness")
    betweenness, exact, note = _betweenness(cases, seed)
    step("pagerank")
    pagerank = nx.pagerank(simple, weight="weight") if simple.number_of_nodes() else {}
    step("cores")
    cores = nx.core_number(simple)
    step("communities")
    communities = _communities(simple, seed)
    community_of = {member: i for i, members in enumerate(communities) for member in members}
    step("cut_points")
    articulation = sorted(nx.articulation_points(cases))
    articulation_set = set(articulation)
    bridges = sorted(tuple(sorted(pair)) for pair in nx.bridges(cases))
    isolated = sorted(node for node, degree in simple.degree() if degree == 0)
    step("brokers")
    sector_brokerage = _brokerage(cases, "sector")
    country_brokerage = _brokerage(cases, "country")
    step("tables")
    tie_counts = Counter()
    for u, v in graph.edges():
        tie_counts[u] += 1
        tie_counts[v] += 1

    rows = []
    for node in simple.nodes:
        data = graph.nodes[node]
        rows.append(
            {
                "id": node,
                "name": data.get("name", node),
                "country": data.get("country"),
                "city": data.get("city"),
                "sector": data.get("sector"),
                "degree": simple.degree(node),
                "ties": tie_counts[node],
                "betweenness": float(betweenness.get(node, 0.0)),
                "pagerank": float(pagerank.get(node, 0.0)),
                "community": community_of.get(node, -1),
                "core_number": cores.get(node, 0),
                "articulation": node in articulation_set,
                "sector_brokerage": sector_brokerage[node][0],
                "country_brokerage": country_brokerage[node][0],
            }
        )
    columns = [
        "id", "name", "country", "city", "sector", "degree", "ties", "betweenness", "pagerank",
        "community", "core_number", "articulation", "sector_brokerage", "country_brokerage",
    ]  # fmt: skip
    nodes = pd.DataFrame(rows, columns=columns).set_index("id").sort_index()
    for text in ("name", "country", "city", "sector"):  # missing stays None, not NaN
        nodes[text] = nodes[text].astype(object).where(nodes[text].notna(), None)

    sector_labels = {key: in_sentence(label) for key, label in taxonomy.sectors.items()}

    def sector_label(key: str) -> str:
        return sector_labels.get(key, key)

    broker_rows = []
    for row in sorted(rows, key=lambda r: r["id"]):
        node = row["id"]
        by_sector, sector_spread = sector_brokerage[node]
        by_country, country_spread = country_brokerage[node]
        if not by_sector and not by_country:
            continue
        reasons = []
        if by_country:
            reasons.append(_broker_reason("countries", by_country, country_spread, country_name))
        if by_sector:
            reasons.append(_broker_reason("sectors", by_sector, sector_spread, sector_label))
        broker_rows.append(
            {
                "id": node,
                "name": row["name"],
                "country": row["country"],
                "sector": row["sector"],
                "sector_brokerage": by_sector,
                "country_brokerage": by_country,
                "betweenness": row["betweenness"],
                "why": f"{row['name']} " + "; and ".join(reasons) + ".",
            }
        )
    broker_columns = [
        "id", "name", "country", "sector", "sector_brokerage", "country_brokerage",
        "betweenness", "why",
    ]  # fmt: skip
    brokers = pd.DataFrame(broker_rows, columns=broker_columns)
    if not brokers.empty:
        brokers["_rank"] = brokers["sector_brokerage"] + brokers["country_brokerage"]
        brokers = brokers.sort_values(
            ["_rank", "betweenness", "id"], ascending=[False, False, True], kind="stable"
        ).drop(columns="_rank")
    brokers = brokers.set_index("id")

    result = NetworkMetrics(
        nodes=nodes,
        articulation_points=articulation,
        bridges=bridges,
        isolated=isolated,
        communities=communities,
        density=nx.density(simple) if simple.number_of_nodes() > 1 else 0.0,
        reciprocity=_reciprocity(graph, tie_kinds_for("working")),
        cross_border_share=_cross_border_share(graph, tie_kinds_for("working")),
        brokers=brokers,
        betweenness_exact=exact,
        betweenness_note=note,
        institutions=simple.number_of_nodes(),
        ties=graph.number_of_edges(),
        working_ties=simple.number_of_edges(),
        case_ties=cases.number_of_edges(),
    )
    step("")
    return result


def _stepper(progress: MetricsProgress | None) -> Callable[[str], None]:
    """Tell ``progress`` that step ``key`` of :data:`METRIC_STEPS` starts (``""``: all
    done); the steps done are those before it."""
    order = list(METRIC_STEPS)

    def step(key: str) -> None:
        if progress is not None:
            progress(order.index(key) if key else len(order), len(order), key)

    return step
