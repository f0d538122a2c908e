"""Analysis of a cooperation network: metrics, gaps in referral pathways, pathways and the
contact finder.

Everything here takes a :class:`~netmap.store.base.Network` snapshot or a networkx graph
built by :mod:`netmap.graph`, and returns plain data or pandas DataFrames; nothing here
talks to a store. One family per module, each function named like its module::

    from netmap.analysis.metrics import metrics
    from netmap.analysis.gaps import gaps, coverage, cross_border_matrix
    from netmap.analysis.pathways import pathways, introduction_path, return_pathways
    from netmap.analysis.finder import find_contacts

(``metrics``, ``gaps`` and ``pathways`` are not re-exported here, so that
``netmap.analysis.metrics`` stays the module; ``netmap.metrics`` and ``netmap.gaps`` are
the functions.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netmap.lazy import lazy_attributes

if TYPE_CHECKING:
    from netmap.analysis.finder import Candidate, find_contacts
    from netmap.analysis.gaps import GapReport, coverage, cross_border_matrix
    from netmap.analysis.metrics import NetworkMetrics
    from netmap.analysis.pathways import introduction_path, return_pathways

__getattr__ = lazy_attributes(
    __name__,
    {
        "Candidate": "netmap.analysis.finder",
        "find_contacts": "netmap.analysis.finder",
        "GapReport": "netmap.analysis.gaps",
        "coverage": "netmap.analysis.gaps",
        "cross_border_matrix": "netmap.analysis.gaps",
        "NetworkMetrics": "netmap.analysis.metrics",
        "introduction_path": "netmap.analysis.pathways",
        "return_pathways": "netmap.analysis.pathways",
    },
)

__all__ = [
    "Candidate",
    "GapReport",
    "NetworkMetrics",
    "coverage",
    "cross_border_matrix",
    "find_contacts",
    "introduction_path",
    "return_pathways",
]
