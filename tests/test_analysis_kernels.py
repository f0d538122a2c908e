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
def test_communities_are_a_partition_the_same_for_a_seed(graph, seed):
    for engine in kernels.ENGINES:
        groups = kernels.communities(graph, seed, engine)
        assert kernels.communities(graph, seed, engine) == groups
        assert sorted(node for group in groups for node in group) == list(range(graph.nodes))
        assert all(group == sorted(group) for group in groups)
        assert [len(g) for g in groups] == sorted((len(g) for g in groups), reverse=True)
    # Leiden's own guarantee, which Louvain lacks: every community holds together.
    g = graph.to_networkx()
    assert all(
        nx.is_connected(g.subgraph(group)) for group in kernels.communities(graph, seed, "igraph")
    )


def random_clustered_graph(rng: np.random.Generator) -> PairGraph:
    """Groups of 3 to 12 nodes, each pair inside tied with a chance of 0.3 to 0.8, and a
    few ties between random nodes."""
    sizes = rng.integers(3, 13, size=rng.integers(2, 9))
    first, second, start = [], [], 0
    for size in sizes.tolist():
        a, b = np.triu_indices(size, k=1)
        inside = rng.random(len(a)) < rng.uniform(0.3, 0.8)
        first.extend((a[inside] + start).tolist())
        second.extend((b[inside] + start).tolist())
        start += size
    across = rng.integers(0, start, size=(int(rng.integers(0, 2 * len(sizes) + 1)), 2))
    first.extend(across[:, 0].tolist())
    second.extend(across[:, 1].tolist())
    weights = rng.integers(1, 4, size=len(first)).astype(float)
    return PairGraph.from_pairs(start, np.array(first), np.array(second), weights)


def test_communities_are_as_modular_on_igraph_as_on_networkx():
    """Leiden (igraph) and Louvain (networkx) are heuristics for the same objective: each
    ends in a local optimum now and then, so they are compared over many graphs (the
    same 300 each run), not one at a time."""
    rng = np.random.default_rng(19)
    shortfall = []
    for seed in range(300):
        graph = random_clustered_graph(rng)
        louvain = kernels.modularity(graph, kernels.communities(graph, seed, "networkx"))
        leiden = kernels.modularity(graph, kernels.communities(graph, seed, "igraph"))
        shortfall.append(louvain - leiden)
    shortfall = np.array(shortfall)
    assert shortfall.mean() <= 0.001  # no worse on the whole
    assert (shortfall > 0.02).mean() <= 0.02  # seldom clearly worse on one graph
    assert shortfall.max() <= 0.1


def test_communities_of_a_network_with_no_node_are_none():
    empty = PairGraph.from_pairs(0, np.array([]), np.array([]))
    assert kernels.communities(empty, 1, "igraph") == []
    assert kernels.communities(empty, 1, "networkx") == []


@pinned
@given(pair_graphs())
def test_blocks_are_networkxs_in_an_order_of_the_graph_alone(graph):
    """The gap analysis roots its block-cut tree at the first of the biggest blocks: the
    order must not depend on the engine, nor on the order a search met the nodes."""
    expected = sorted(sorted(block) for block in nx.biconnected_components(graph.to_networkx()))
    for engine in kernels.ENGINES:
        assert kernels.biconnected_components(graph, engine) == expected


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
