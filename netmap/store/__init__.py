"""Stores hold a network; :func:`open_store` picks one by URL.

``sqlite:///path/netmap.db`` (or a plain file path) is the embedded store;
``neo4j://``, ``neo4j+s://``, ``bolt://`` and ``bolt+s://`` reach a Neo4j server.
Without a URL, ``NETMAP_STORE`` is used, else a file in the user's data directory.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from platformdirs import user_data_dir

from netmap.errors import StoreUnavailable
from netmap.store.address import shown_url
from netmap.store.base import Change, GraphStore, Network, Plan, RecordSet
from netmap.store.sqlite import SQLiteStore, sqlite_path_from_url

NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def builtin_store_url() -> str:
    """The embedded store netmap uses when no store is named (the user's data folder)."""
    return f"sqlite:///{Path(user_data_dir('netmap', appauthor=False)) / 'netmap.db'}"


def default_store_url() -> str:
    """The store used when none is named: ``NETMAP_STORE``, else :func:`builtin_store_url`."""
    return os.environ.get("NETMAP_STORE") or builtin_store_url()


def current_user() -> str:
    """The operating-system user, recorded as the author of changes made from this machine."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def open_store(url: str | None = None, actor: str | None = None) -> GraphStore:
    """Open (and create, for SQLite) the store at ``url``; see the module docstring."""
    url = url or default_store_url()
    actor = actor or current_user()
    if url.startswith(NEO4J_SCHEMES):
        from netmap.store.neo4j import Neo4jStore  # the driver is only loaded when needed

        return Neo4jStore.from_url(url, actor=actor)
    if url.startswith("sqlite:"):
        return SQLiteStore(sqlite_path_from_url(url), actor=actor)
    if "://" in url:
        scheme = url.split("://", 1)[0]
        raise StoreUnavailable(
            f"unknown store URL scheme {scheme!r}: use sqlite:///path/netmap.db, or "
            "neo4j://, neo4j+s://, bolt:// or bolt+s:// for a Neo4j server"
        )
    return SQLiteStore(Path(url), actor=actor)


__all__ = [
    "Change",
    "GraphStore",
    "Network",
    "Plan",
    "RecordSet",
    "SQLiteStore",
    "builtin_store_url",
    "current_user",
    "default_store_url",
    "open_store",
    "shown_url",
]
