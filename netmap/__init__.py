"""netmap: a directory and contact graph of the institutions that fight human trafficking.

What a notebook needs::

    import netmap
    store = netmap.open_store("sqlite:///netmap.db")
    network = store.snapshot()          # pandas DataFrames per table
    graph = netmap.load_graph(store)    # a networkx graph of institutions
    netmap.metrics(graph)               # centrality, communities, bridges, brokers
    netmap.gaps(network, city="Niš")    # gaps in the referral pathway, with reasons
    netmap.find_contacts(network, "gr-thessaloniki-arsis", "BG", service="repatriation")
    netmap.search(network, "Пловдив")   # institutions, contacts, cities, initiatives
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netmap.errors import NetmapError
from netmap.lazy import lazy_attributes
from netmap.version import __version__

if TYPE_CHECKING:
    import networkx as nx

    from netmap.analysis.finder import find_contacts
    from netmap.analysis.gaps import gaps
    from netmap.analysis.metrics import metrics
    from netmap.search_index import search
    from netmap.store import open_store
    from netmap.store.base import GraphStore

# Imported when first used: ``import netmap`` (and every ``netmap`` command) does not pay
# for pandas, networkx or the store drivers until something needs them.
__getattr__ = lazy_attributes(
    __name__,
    {
        "find_contacts": "netmap.analysis.finder",
        "gaps": "netmap.analysis.gaps",
        "metrics": "netmap.analysis.metrics",
        "search": "netmap.search_index",
        "open_store": "netmap.store",
    },
)


def load_graph(store: GraphStore) -> nx.MultiGraph[str]:
    """Return the institution graph (networkx) of ``store``'s current network."""
    from netmap.graph import institution_graph

    return institution_graph(store.snapshot())


__all__ = [
    "NetmapError",
    "__version__",
    "find_contacts",
    "gaps",
    "load_graph",
    "metrics",
    "open_store",
    "search",
]
