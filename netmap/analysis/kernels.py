"""The graph algorithms behind the metrics, on a compiled library, with networkx's answers.

networkx is netmap's graph model and the meaning of every measure; at a hundred thousand
institutions its pure-Python algorithms take minutes where python-igraph (C) takes
seconds. Each kernel here runs on igraph when it is installed and on networkx otherwise,
and returns what networkx returns for the same graph:

- betweenness: exact, or from an explicit set of sampled sources (:func:`sampled_sources`
  draws the set networkx would draw for a seed), normalised as networkx normalises it;
- PageRank, run to convergence (a tolerance that does not grow with the network);
- core numbers, articulation points, bridges and connected components: equal;
- communities: igraph's Leiden (modularity, fixed seed) or networkx's Louvain — different
  heuristics for the same objective, both deterministic for a seed.

The kernels take a :class:`PairGraph` (nodes numbered ``0..n-1``, one edge per pair),
which converts to either library once and keeps the conversion. ``NETMAP_GRAPH_ENGINE``
(``igraph`` or ``networkx``) chooses; by default igraph when it can be imported.
tests/test_analysis_kernels.py pins every kernel to networkx on random graphs.
"""

from __future__ import annotations

import os
import random
import threading
from collections.abc import Sequence
from functools import cached_property
from typing import Any, Literal

import networkx as nx
import numpy as np

from netmap.errors import NetmapError
from netmap.i18n import gettext

Engine = Literal["igraph", "networkx"]
ENGINES: tuple[Engine, ...] = ("igraph", "networkx")

#: PageRank stops when one round changes the scores by less than this in all (their sum
#: is 1), whatever the size of the network. networkx's own default (``tol=1e-6``) is
#: multiplied by the number of nodes: at 100,000 institutions it stops after a few rounds,
#: with scores beyond the top ones up to half off their converged values.
PAGERANK_TOLERANCE = 1e-12
PAGERANK_ROUNDS = 1000
PAGERANK_DAMPING = 0.85

# igraph draws its random numbers from one generator for the whole process; a seeded
# community search sets its own and puts the old one back, one search at a time.
_RANDOM_LOCK = threading.Lock()


def engine(wanted: str | None = None) -> Engine:
    """Return the library the kernels run on: ``wanted``, else ``NETMAP_GRAPH_ENGINE``,
    else igraph when it can be imported, else networkx.

    Raises :class:`NetmapError` when igraph is asked for and cannot be imported, or the
    name is neither engine.
    """
    choice = (wanted or os.environ.get("NETMAP_GRAPH_ENGINE") or "").strip().lower()
    if choice and choice not in ENGINES:
        raise NetmapError(
            # Translators: the names of the graph engines (igraph, networkx) stay as they are.
            gettext("unknown graph engine %(name)s (one of: %(engines)s)")
            % {"name": repr(choice), "engines": ", ".join(ENGINES)}
        )
    if choice == "networkx":
        return "networkx"
    try:
        import igraph  # noqa: F401
    except ImportError:
        if choice == "igraph":
            raise NetmapError(
                gettext("the graph engine igraph is not installed (pip install igraph)")
            ) from None
        return "networkx"
    return "igraph"


def engine_version(name: Engine) -> str:
    """``name`` and the version that runs, as the output says which library ran."""
    if name == "igraph":
        import igraph

        return f"igraph {igraph.__version__}"
    return f"networkx {nx.__version__}"


class PairGraph:
    """An undirected graph on the nodes ``0..nodes-1``: one edge per pair of nodes, given
    as ``source < target`` in ascending order, each with a weight.

    The order is that of a networkx ``Graph`` built node by node, then edge by edge in
    pair order, which :meth:`to_networkx` returns: seeded networkx algorithms (Louvain,
    sampled betweenness) depend on it. The conversions to each library are made once.
    """

    def __init__(self, nodes: int, source: np.ndarray, target: np.ndarray, weight: np.ndarray):
        self.nodes = int(nodes)
        self.source = np.asarray(source, dtype=np.int64)
        self.target = np.asarray(target, dtype=np.int64)
        self.weight = np.asarray(weight, dtype=np.float64)

    @classmethod
    def from_pairs(
        cls, nodes: int, first: np.ndarray, second: np.ndarray, weight: np.ndarray | None = None
    ) -> PairGraph:
        """One edge per pair of ``first[i]``, ``second[i]`` (either order), weighted by the
        sum of the ``weight`` of its occurrences (1 each without); self-pairs are left out
        (they link nobody)."""
        first = np.asarray(first, dtype=np.int64)
        second = np.asarray(second, dtype=np.int64)
        weight = np.ones(len(first)) if weight is None else np.asarray(weight, dtype=np.float64)
        apart = first != second
        low = np.minimum(first, second)[apart]
        high = np.maximum(first, second)[apart]
        keys, position = np.unique(low * max(nodes, 1) + high, return_inverse=True)
        summed = np.bincount(position, weights=weight[apart], minlength=len(keys))
        return cls(nodes, keys // max(nodes, 1), keys % max(nodes, 1), summed)

    @property
    def edges(self) -> int:
        return len(self.source)

    @cached_property
    def degree(self) -> np.ndarray:
        """Distinct neighbours of each node."""
        ends = np.concatenate([self.source, self.target])
        return np.bincount(ends, minlength=self.nodes)

    @cached_property
    def neighbours(self) -> tuple[np.ndarray, np.ndarray]:
        """Each node's neighbours in ascending order, as compressed rows: the neighbours of
        node ``i`` are ``column[start[i]:start[i + 1]]``."""
        rows = np.concatenate([self.source, self.target])
        columns = np.concatenate([self.target, self.source])
        order = np.lexsort((columns, rows))
        start = np.zeros(self.nodes + 1, dtype=np.int64)
        np.cumsum(self.degree, out=start[1:])
        return start, columns[order]

    def to_networkx(self) -> nx.Graph:
        """The same graph in networkx (nodes ``0..n-1``, edges with ``weight``); made once."""
        return self._networkx

    @cached_property
    def _networkx(self) -> nx.Graph:
        graph: nx.Graph = nx.Graph()
        graph.add_nodes_from(range(self.nodes))
        graph.add_weighted_edges_from(
            zip(self.source.tolist(), self.target.tolist(), self.weight.tolist(), strict=True)
        )
        return graph

    def to_igraph(self) -> Any:
        """The same graph in igraph (vertex ``i`` is node ``i``, edge ``e`` the ``e``-th
        pair, attribute ``weight``); made once."""
        return self._igraph

    @cached_property
    def _igraph(self) -> Any:
        import igraph

        # A list of tuples converts several times faster than a NumPy array of pairs.
        graph = igraph.Graph(
            n=self.nodes, edges=list(zip(self.source.tolist(), self.target.tolist(), strict=True))
        )
        graph.es["weight"] = self.weight.tolist()
        return graph


# --- betweenness --------------------------------------------------------------------------


def sampled_sources(nodes: int, count: int, seed: int) -> list[int]:
    """The ``count`` source nodes that ``networkx.betweenness_centrality(graph, k=count,
    seed=seed)`` samples on a graph whose nodes are listed ``0..nodes-1``."""
    return random.Random(seed).sample(range(nodes), count)


def betweenness(
    graph: PairGraph, sources: Sequence[int] | None = None, engine: Engine = "networkx"
) -> np.ndarray:
    """Return each node's betweenness, unweighted (hops) and normalised as networkx does.

    With ``sources`` (several distinct nodes), only the shortest paths from them count,
    scaled up as networkx scales a sample of ``k`` sources: this equals
    ``nx.betweenness_centrality(g, k=len(sources), seed=seed)`` when ``sources`` is
    :func:`sampled_sources` for that seed. Without, exact.
    """
    n = graph.nodes
    if n <= 2:
        return np.zeros(n)
    if sources is None:
        if engine == "igraph":
            # igraph counts each unordered pair once; networkx's normalisation divides the
            # ordered pairs (twice as many) by (n - 1)(n - 2).
            raw = np.asarray(graph.to_igraph().betweenness(directed=False), dtype=float)
            return raw * 2 / ((n - 1) * (n - 2))
        values = nx.betweenness_centrality(graph.to_networkx(), normalized=True)
        return np.fromiter((values[i] for i in range(n)), dtype=float, count=n)
    sources = list(sources)
    if engine == "igraph":
        raw = graph.to_igraph().betweenness(directed=False, sources=sources, targets=None)
        raw = np.asarray(raw, dtype=float)
    else:
        values = nx.betweenness_centrality_subset(
            graph.to_networkx(), sources, range(n), normalized=False
        )
        raw = np.fromiter((values[i] for i in range(n)), dtype=float, count=n)
    # networkx (3.5 on): a source cannot lie on its own paths, so it is averaged over the
    # other k - 1 sources; the rest over all k. The 2 undoes the halving of undirected
    # pair counts, as in networkx's own rescaling.
    k = len(sources)
    per_node = np.full(n, float(k))
    per_node[sources] = k - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(per_node > 0, raw * 2 / (per_node * (n - 2)), np.nan)


# --- PageRank -----------------------------------------------------------------------------


def pagerank(graph: PairGraph, engine: Engine = "networkx") -> np.ndarray:
    """Return each node's PageRank (sums to 1) over the weighted edges, damping 0.85, an
    isolated node's share spread evenly over all: networkx's PageRank, converged."""
    n = graph.nodes
    if n == 0:
        return np.zeros(0)
    if engine == "igraph":
        scores = graph.to_igraph().pagerank(
            directed=False, damping=PAGERANK_DAMPING, weights="weight", implementation="prpack"
        )
        return np.asarray(scores, dtype=float)
    values = nx.pagerank(
        graph.to_networkx(),
        alpha=PAGERANK_DAMPING,
        weight="weight",
        # networkx stops when the change is below n * tol: divide to stop at a total.
        tol=PAGERANK_TOLERANCE / n,
        max_iter=PAGERANK_ROUNDS,
    )
    return np.fromiter((values[i] for i in range(n)), dtype=float, count=n)


# --- structure ----------------------------------------------------------------------------


def core_number(graph: PairGraph, engine: Engine = "networkx") -> np.ndarray:
    """Return each node's core number (the largest k of a k-core holding it)."""
    if engine == "igraph":
        return np.asarray(graph.to_igraph().coreness(mode="all"), dtype=np.int64)
    values = nx.core_number(graph.to_networkx())
    return np.fromiter((values[i] for i in range(graph.nodes)), dtype=np.int64, count=graph.nodes)


def articulation_points(graph: PairGraph, engine: Engine = "networkx") -> np.ndarray:
    """Return the nodes whose removal splits their component, ascending."""
    if engine == "igraph":
        found = graph.to_igraph().articulation_points()
    else:
        found = list(nx.articulation_points(graph.to_networkx()))
    return np.array(sorted(found), dtype=np.int64)


def bridges(graph: PairGraph, engine: Engine = "networkx") -> list[tuple[int, int]]:
    """Return the edges whose removal splits their component, as ``(low, high)`` pairs in
    ascending order."""
    if engine == "igraph":
        found = [(int(graph.source[e]), int(graph.target[e])) for e in graph.to_igraph().bridges()]
    else:
        found = [(min(u, v), max(u, v)) for u, v in nx.bridges(graph.to_networkx())]
    return sorted(found)


def biconnected_components(graph: PairGraph, engine: Engine = "networkx") -> list[list[int]]:
    """Return the blocks (biconnected components) of the graph: the largest sets of nodes
    that stay connected when any one node leaves, a single edge whose end would be cut
    off being a block of two. Nodes without an edge belong to none; a node in more than
    one block is an articulation point.

    Each block is a sorted list of nodes; the blocks come sorted (as lists), so the order
    depends on the graph only, not on the engine or the order of a search.
    """
    if engine == "igraph":
        found = graph.to_igraph().biconnected_components(return_articulation_points=False)
        blocks = [sorted(block) for block in found]
    else:
        blocks = [sorted(block) for block in nx.biconnected_components(graph.to_networkx())]
    return sorted(blocks)


def components(graph: PairGraph, engine: Engine = "networkx") -> np.ndarray:
    """Return each node's connected component, numbered in the order of each component's
    lowest node (node 0 is in component 0)."""
    if engine == "igraph":
        membership = np.asarray(graph.to_igraph().connected_components().membership, dtype=np.int64)
    else:
        membership = np.empty(graph.nodes, dtype=np.int64)
        for number, members in enumerate(nx.connected_components(graph.to_networkx())):
            membership[list(members)] = number
    return _renumbered(membership)


def _renumbered(membership: np.ndarray) -> np.ndarray:
    """Number groups in the order of their lowest member."""
    if len(membership) == 0:
        return membership
    _, first = np.unique(membership, return_index=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    _, position = np.unique(membership, return_inverse=True)
    return rank[position]


# --- communities --------------------------------------------------------------------------


def communities(graph: PairGraph, seed: int, engine: Engine = "networkx") -> list[list[int]]:
    """Return communities that make the weighted modularity high: each a sorted list of
    nodes, largest first (equals by their lowest node). The same graph and seed give the
    same communities.

    networkx: Louvain (``nx.community.louvain_communities``). igraph: Leiden with the
    modularity objective, run until a round changes nothing; a refinement of Louvain that
    finds communities at least as modular, each of them connected.
    """
    if graph.nodes == 0:
        return []
    if engine == "igraph":
        import igraph

        with _RANDOM_LOCK:
            igraph.set_random_number_generator(random.Random(seed))
            try:
                found = graph.to_igraph().community_leiden(
                    objective_function="modularity", weights="weight", n_iterations=-1
                )
            finally:
                igraph.set_random_number_generator(random)
        membership = np.asarray(found.membership, dtype=np.int64)
        order = np.argsort(membership, kind="stable")
        bounds = np.flatnonzero(np.diff(membership[order])) + 1
        groups = [part.tolist() for part in np.split(order, bounds)]
    else:
        found = nx.community.louvain_communities(graph.to_networkx(), weight="weight", seed=seed)
        groups = [sorted(members) for members in found]
    return sorted(groups, key=lambda members: (-len(members), members[0]))


def modularity(graph: PairGraph, groups: list[list[int]]) -> float:
    """The weighted modularity (resolution 1) of a partition of the nodes (0 without any
    edge)."""
    if graph.edges == 0:
        return 0.0
    return nx.community.modularity(
        graph.to_networkx(), [set(group) for group in groups], weight="weight"
    )
