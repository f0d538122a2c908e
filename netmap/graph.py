"""From a store snapshot to networkx graphs of institutions.

The analysis never talks to a store: it takes the graphs built here.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from netmap.store.base import Network


def _attributes(row: dict[str, Any], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in skip and v is not None}


def institution_graph(network: Network) -> nx.MultiGraph:
    """Return institutions as nodes and ties as edges (keyed by tie id).

    Every node carries the institution's fields; every edge the tie's fields, including
    ``directed`` (referral and funding ties run one way). The graph is undirected so that
    cooperation metrics see a tie from either end; ``source_id`` and ``target_id`` keep
    the direction where it matters.
    """
    graph = nx.MultiGraph()
    for row in network.institutions.to_dict("records"):
        graph.add_node(row["id"], **_attributes(row, ("id",)))
    for row in network.ties.to_dict("records"):
        graph.add_edge(row["source_id"], row["target_id"], key=row["id"], **_attributes(row))
    return graph
