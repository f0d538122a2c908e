"""Shared fixtures: real stores, built from the demo network that ships in ``data/demo``.

Store contract tests take the ``empty_store`` fixture, which is parametrised over every
backend: SQLite always, Neo4j whenever ``NETMAP_TEST_NEO4J_URI`` names a live server
(``tests/neo4j-server/start`` starts one and prints that line). ``any_demo_store`` is the
demo network in each backend, for the tests of sync, erasure, the change log and the
app's pages. Without a server the Neo4j cases are skipped, except in CI (``CI`` set),
where they fail: CI starts its own server and must never pass without it.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# The tests never read or write the developer's own netmap (the built-in store in the
# user data folder, compiled catalogs in the cache): each run gets folders of its own,
# set before netmap computes a path from them.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="tests-data-")
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="tests-cache-")

# In CI the examples are derived from the test itself, so a run cannot turn red by chance;
# locally each run explores new examples.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

from netmap.io import import_into
from netmap.resources import data_file
from netmap.store import SQLiteStore
from netmap.store.base import GraphStore, RecordSet


@pytest.fixture(autouse=True)
def english_unless_asked(monkeypatch):
    """Every test reads netmap in English unless it chooses a language: a developer whose
    terminal speaks Bulgarian must see the same results as CI."""
    for variable in ("NETMAP_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


NEO4J_URI = os.environ.get("NETMAP_TEST_NEO4J_URI")
NEO4J_SKIP_REASON = (
    "NETMAP_TEST_NEO4J_URI is not set: the Neo4j cases run only against a live server "
    "(start one with tests/neo4j-server/start and export the line it prints)"
)


def require_neo4j() -> str:
    """The live server's URI; skip without one (fail in CI, which must have one)."""
    if not NEO4J_URI:
        if os.environ.get("CI"):
            pytest.fail(f"CI runs every Neo4j case live, but {NEO4J_SKIP_REASON}")
        pytest.skip(NEO4J_SKIP_REASON)
    return NEO4J_URI


def _empty_neo4j_store(actor: str = "contract-test") -> GraphStore:
    from netmap.store.neo4j import Neo4jStore

    store = Neo4jStore.from_url(require_neo4j(), actor=actor)
    store.erase_everything()
    return store


BACKENDS = ["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)]


@pytest.fixture(params=BACKENDS)
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


@pytest.fixture(scope="session")
def demo_records(demo_template) -> RecordSet:
    """The demo network's records, validated once per session (to write into Neo4j)."""
    return SQLiteStore(demo_template, actor="fixture").snapshot().record_set()


@pytest.fixture
def neo4j_empty_store() -> GraphStore:
    """The live Neo4j server's database, emptied before and after (skipped without one)."""
    store = _empty_neo4j_store(actor="tester")
    yield store
    store.erase_everything()
    store.close()


@pytest.fixture
def neo4j_demo_store(neo4j_empty_store, demo_records) -> GraphStore:
    """The demo network on the live Neo4j server, free to change (wiped afterwards)."""
    neo4j_empty_store.write(demo_records)
    return neo4j_empty_store


@pytest.fixture(params=BACKENDS)
def any_demo_store(request) -> GraphStore:
    """The demo network in each backend: a private SQLite copy, or the live Neo4j server."""
    fixture = "demo_store" if request.param == "sqlite" else "neo4j_demo_store"
    return request.getfixturevalue(fixture)


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


def pytest_terminal_summary(terminalreporter) -> None:
    """Say how many of queries/'s files this session ran on the live server, and which not.

    Informational: tests/test_neo4j_statements.py fails when any file never runs.
    """
    if not NEO4J_URI:
        return
    from netmap.store import cypher
    from netmap.store.neo4j import Neo4jStore

    every = set(cypher.names())
    ran = every & set(Neo4jStore.statements_run)
    line = f"Neo4j: {len(ran)} of {len(every)} statement files in queries/ ran live"
    missing = sorted(every - ran)
    terminalreporter.write_line(line + (f"; not: {', '.join(missing)}" if missing else ""))
