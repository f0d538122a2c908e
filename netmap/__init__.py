"""netmap: a directory and contact graph of the institutions that fight human trafficking.

What a notebook needs::

    import netmap
    store = netmap.open_store("sqlite:///netmap.db")
    network = store.snapshot()          # pandas DataFrames per table
    graph = netmap.load_graph(store)    # a networkx graph of institutions
"""

from __future__ import annotations

__version__ = "0.1.0"

from netmap.errors import NetmapError
from netmap.store import open_store


def load_graph(store):
    """Return the institution graph (networkx) of ``store``'s current network."""
    from netmap.graph import institution_graph

    return institution_graph(store.snapshot())


__all__ = ["NetmapError", "__version__", "load_graph", "open_store"]
