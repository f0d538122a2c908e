"""The compiled kernels give networkx's answers: each is pinned to networkx on random graphs.

Small graphs (up to 30 nodes), a few dozen examples each: seconds in all. Under CI the
examples are derandomized, so a run is repeatable.
"""

from __future__ import annotations

import os

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netmap.analysis import kernels
from netmap.analysis.gaps import _adjacency, _blocks, _Ties
from netmap.analysis.kernels import PairGraph
from netmap.errors import NetmapError

pytest.importorskip("igraph")

pinned = settings(
    max_examples=60,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def pair_graphs(draw, max_nodes: int = 30) -> PairGraph:
    """A random undirected graph: any number of nodes, any pairs, weights 1 to 6."""
    nodes = draw(st.integers(min_value=0, max_value=max_nodes))
    if nodes < 2:
        return PairGraph.from_pairs(nodes, np.array([]), np.array([]))
    node = st.integers(min_value=0, max_value=nodes - 1)
    pairs = draw(st.lists(st.tuples(node, node), max_size=nodes * 3))
    weights = draw(st.lists(st.integers(1, 3), min_size=len(pairs), max_size=len(pairs)))
    first = np.array([a for a, _ in pairs], dtype=np.int64)
    second = np.array([b for _, b in pairs], dtype=np.int64)
    return PairGraph.from_pairs(nodes, first, second, np.array(weights, dtype=float))


def as_dict_array(values: dict, n: int) -> np.ndarray:
    return np.array([values[i] for i in range(n)], dtype=float)


@pinned
@given(pair_graphs())
def test_exact_betweenness_is_networkxs(graph):
    expected = as_dict_array(nx.betweenness_centrality(graph.to_networkx()), graph.nodes)
    for engine in kernels.ENGINES:
        assert np.allclose(kernels.betweenness(graph, None, engine), expected, atol=1e-12)


@pinned
@given(pair_graphs(), st.data())
def test_sampled_betweenness_uses_the_sources_networkx_draws_for_the_seed(graph, data):
    if graph.nodes < 3:
        return
    count = data.draw(st.integers(min_value=2, max_value=graph.nodes), label="sources")
    seed = data.draw(st.integers(min_value=0, max_value=10_000), label="seed")
    expected = nx.betweenness_centrality(graph.to_networkx(), k=count, seed=seed)
    sources = kernels.sampled_sources(graph.nodes, count, seed)
    for engine in kernels.ENGINES:
        found = kernels.betweenness(graph, sources, engine)
        assert np.allclose(found, as_dict_array(expected, graph.nodes), atol=1e-12)


@pinned
@given(pair_graphs())
def test_pagerank_is_networkxs_converged_to_a_ten_thousandth(graph):
    if graph.nodes == 0:
        assert len(kernels.pagerank(graph, "igraph")) == 0
        return
    expected = as_dict_array(
        nx.pagerank(graph.to_networkx(), weight="weight", tol=1e-14, max_iter=10_000),
        graph.nodes,
    )
    for engine in kernels.ENGINES:
        found = kernels.pagerank(graph, engine)
        assert np.allclose(found, expected, rtol=1e-4, atol=0)
        assert found.sum() == pytest.approx(1.0)


@pinned
@given(pair_graphs())
def test_cores_cut_points_bridges_and_components_equal_networkxs(graph):
    g = graph.to_networkx()
    cores = as_dict_array(nx.core_number(g), graph.nodes).astype(int)
    points = sorted(nx.articulation_points(g))
    bridges = sorted((min(a, b), max(a, b)) for a, b in nx.bridges(g))
    parts = sorted(sorted(c) for c in nx.connected_components(g))
    for engine in kernels.ENGINES:
        assert kernels.core_number(graph, engine).tolist() == cores.tolist()
        assert kernels.articulation_points(graph, engine).tolist() == points
        assert kernels.bridges(graph, engine) == bridges
        membership = kernels.components(graph, engine)
        found = sorted(np.flatnonzero(membership == c).tolist() for c in set(membership.tolist()))
        assert found == parts
        if graph.nodes:
            assert membership[0] == 0


@st.composite
def clustered_graphs(draw) -> PairGraph:
    """Groups of 3 to 8 nodes, dense inside, a few ties between groups: what communities
    are for."""
    sizes = draw(st.lists(st.integers(3, 8), min_size=2, max_size=6))
    first, second = [], []
    start = 0
    for size in sizes:
        members = range(start, start + size)
        for a in members:
            for b in members:
                if a < b and draw(st.floats(0, 1)) < 0.7:
                    first.append(a)
                    second.append(b)
        start += size
    node = st.integers(0, start - 1)
    for a, b in draw(st.lists(st.tuples(node, node), max_size=len(sizes) * 2)):
        first.append(a)
        second.append(b)
    return PairGraph.from_pairs(start, np.array(first), np.array(second))


@pinned
@given(clustered_graphs(), st.integers(0, 1000))
def test_communities_are_as_modular_as_louvains_and_the_same_for_a_seed(graph, seed):
    louvain = kernels.communities(graph, seed, "networkx")
    leiden = kernels.communities(graph, seed, "igraph")
    assert kernels.communities(graph, seed, "igraph") == leiden
    for groups in (louvain, leiden):
        assert sorted(node for group in groups for node in group) == list(range(graph.nodes))
        assert [len(g) for g in groups] == sorted((len(g) for g in groups), reverse=True)
    # Both are heuristics for the same objective; Leiden refines Louvain's moves.
    assert kernels.modularity(graph, leiden) >= kernels.modularity(graph, louvain) - 0.02


def test_communities_of_a_network_with_no_node_are_none():
    empty = PairGraph.from_pairs(0, np.array([]), np.array([]))
    assert kernels.communities(empty, 1, "igraph") == []
    assert kernels.communities(empty, 1, "networkx") == []


@st.composite
def tie_lists(draw):
    """Institutions 0..n-1 of which some are in scope, and ties between any of them in a
    random order, parallel ties and self-ties included."""
    nodes = draw(st.integers(min_value=1, max_value=25))
    in_scope = np.array(draw(st.lists(st.booleans(), min_size=nodes, max_size=nodes)))
    node = st.integers(min_value=0, max_value=nodes - 1)
    pairs = draw(st.lists(st.tuples(node, node), max_size=nodes * 3))
    source = np.array([a for a, _ in pairs], dtype=np.int64)
    target = np.array([b for _, b in pairs], dtype=np.int64)
    every = np.ones(len(pairs), dtype=bool)
    return _Ties(source, target, ~every, every, every), in_scope


@pinned
@given(tie_lists())
def test_the_gap_analysis_blocks_are_networkxs_in_networkxs_order(drawn):
    """``_cut_off`` roots its tree at the first of the biggest blocks: the order matters."""
    ties, in_scope = drawn
    positions, adjacency = _adjacency(ties, in_scope)
    local = {position: i for i, position in enumerate(positions.tolist())}
    graph = nx.Graph()
    graph.add_nodes_from(range(len(positions)))  # in id order, then tie by tie
    for a, b in zip(ties.source.tolist(), ties.target.tolist(), strict=True):
        if a in local and b in local and a != b:
            graph.add_edge(local[a], local[b])
    assert adjacency == [list(graph.adj[i]) for i in range(len(positions))]
    expected = [set(block) for block in nx.biconnected_components(graph)]
    assert [set(block) for block in _blocks(adjacency)] == expected


def test_the_engine_can_be_chosen_and_an_unknown_one_is_refused(monkeypatch):
    monkeypatch.setenv("NETMAP_GRAPH_ENGINE", "networkx")
    assert kernels.engine() == "networkx"
    monkeypatch.setenv("NETMAP_GRAPH_ENGINE", "igraph")
    assert kernels.engine() == "igraph"
    assert kernels.engine("networkx") == "networkx"
    monkeypatch.delenv("NETMAP_GRAPH_ENGINE")
    assert kernels.engine() == "igraph"  # installed here
    with pytest.raises(NetmapError, match="unknown graph engine"):
        kernels.engine("graph-tool")


def test_without_igraph_networkx_runs(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_igraph(name, *args, **kwargs):
        if name == "igraph":
            raise ImportError("no igraph here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_igraph)
    monkeypatch.delenv("NETMAP_GRAPH_ENGINE", raising=False)
    assert kernels.engine() == "networkx"
    with pytest.raises(NetmapError, match="not installed"):
        kernels.engine("igraph")
