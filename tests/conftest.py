"""Shared fixtures: real stores, built from the demo network that ships in ``data/demo``.

Store contract tests take the ``empty_store`` fixture, which is parametrised over every
backend: SQLite always, Neo4j whenever ``NETMAP_TEST_NEO4J_URI`` names a live server.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from hypothesis import settings

# In CI the examples are derived from the test itself, so a run cannot turn red by chance;
# locally each run explores new examples.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

from netmap.io import import_into
from netmap.resources import data_file
from netmap.store import SQLiteStore
from netmap.store.base import GraphStore

NEO4J_URI = os.environ.get("NETMAP_TEST_NEO4J_URI")
NEO4J_SKIP_REASON = (
    "NETMAP_TEST_NEO4J_URI is not set: the Neo4j store contract runs only against a live "
    "server (README: docker run -p 7687:7687 -e NEO4J_AUTH=neo4j/netmap-test neo4j:5)"
)


def _empty_neo4j_store() -> GraphStore:
    if not NEO4J_URI:
        pytest.skip(NEO4J_SKIP_REASON)
    from netmap.store.neo4j import Neo4jStore

    store = Neo4jStore.from_url(NEO4J_URI, actor="contract-test")
    store.erase_everything()
    return store


@pytest.fixture(params=["sqlite", "neo4j"])
def empty_store(request, tmp_path) -> GraphStore:
    """An empty store of each backend; the Neo4j one is wiped before and after."""
    if request.param == "sqlite":
        store = SQLiteStore(tmp_path / "contract.db", actor="contract-test")
        yield store
        store.close()
        return
    store = _empty_neo4j_store()
    yield store
    store.erase_everything()
    store.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """A SQLite file holding the demo network, imported once per test session."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    import_into(SQLiteStore(path, actor="fixture"), data_file("demo"))
    return path


@pytest.fixture
def demo_store(demo_template, tmp_path) -> SQLiteStore:
    """A private copy of the demo network's SQLite store, free to change."""
    target = tmp_path / "demo.db"
    with sqlite3.connect(demo_template) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return SQLiteStore(target, actor="tester")


@pytest.fixture(scope="session")
def demo_network(demo_template):
    """The demo network as a read-only snapshot (do not modify its frames)."""
    return SQLiteStore(demo_template, actor="fixture").snapshot()
