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

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from netmap.analysis.finder import Candidate, find_contacts
    from netmap.analysis.gaps import GapReport, coverage, cross_border_matrix
    from netmap.analysis.metrics import NetworkMetrics
    from netmap.analysis.pathways import introduction_path, return_pathways

# Imported on first use, so that importing one module here does not import them all (the
# finder brings SciPy along).
_LAZY = {
    "Candidate": "finder",
    "find_contacts": "finder",
    "GapReport": "gaps",
    "coverage": "gaps",
    "cross_border_matrix": "gaps",
    "NetworkMetrics": "metrics",
    "introduction_path": "pathways",
    "return_pathways": "pathways",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'netmap.analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"netmap.analysis.{_LAZY[name]}"), name)
    globals()[name] = value
    return value


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
