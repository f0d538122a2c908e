"""Faults on a real Neo4j server of the test's own (``tests/neo4j-server/start``): the
server stopped in the middle of an import or a sync, restarted under a running app, and
the three ways of naming it wrong (password, database, host).

Each server here is short-lived and private to its test; the shared server
(``NETMAP_TEST_NEO4J_URI``) is never stopped. Starting one takes 10-20 s, so the tests
share one per module where they can; the stop-and-restart tests keep its files and port
so that it comes back as the same store.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import neo4j
import pytest
from app_fixtures import page_test, texts
from conftest import require_neo4j
from neo4j_server import Neo4jServer
from typer.testing import CliRunner

from netmap.cli import app
from netmap.io import import_into
from netmap.model import RecordKind
from netmap.resources import data_file
from netmap.store import SQLiteStore
from netmap.store.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "netmap-fault-password"
# Give up on a stopped server after 2 s instead of the driver's 30: the tests stop it.
QUICK = {"NETMAP_NEO4J_RETRY_SECONDS": "2"}
runner = CliRunner()


@pytest.fixture(autouse=True)
def quick_to_give_up(monkeypatch):
    for name, value in QUICK.items():
        monkeypatch.setenv(name, value)


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    """A server of this module's own, holding the demo network; stopped at the end."""
    require_neo4j()  # run where live servers are expected (CI), skip where they are not
    server = Neo4jServer(home=tmp_path_factory.mktemp("neo4j-faults"), password=PASSWORD)
    server.start()
    store = Neo4jStore.from_url(server.uri, actor="fault-test")
    import_into(store, data_file("demo"))
    store.close()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def larger_network(tmp_path_factory) -> Path:
    """A generated network whose import takes the server several seconds to write."""
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate

    folder = tmp_path_factory.mktemp("larger")
    generate(1500, 3, folder)
    return folder


def restarted(server: Neo4jServer) -> None:
    """Start ``server`` again on its files and port, as an administrator would."""
    if server.running():
        server.stop()
    server.start()


def counts_and_revision(server: Neo4jServer) -> tuple[dict, int]:
    store = Neo4jStore.from_url(server.uri, actor="fault-test")
    try:
        return store.counts(), store.revision()
    finally:
        store.close()


def wait_until_writing(server: Neo4jServer, process: subprocess.Popen, timeout: float = 120):
    """Wait until the server runs one of netmap's batched writes (UNWIND $rows …)."""
    deadline = time.monotonic() + timeout
    address = f"bolt://127.0.0.1:{server.port}"
    with neo4j.GraphDatabase.driver(address, auth=("netmap", PASSWORD)) as driver:
        while time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()
            queries = driver.execute_query(
                "SHOW TRANSACTIONS YIELD currentQuery RETURN currentQuery"
            ).records
            if any("UNWIND $rows" in (r["currentQuery"] or "") for r in queries):
                return
            time.sleep(0.05)
    raise AssertionError("the import never started writing")


def cli(*arguments: str) -> subprocess.Popen:
    """``python -m netmap ARGUMENTS`` in a process of its own (stdout and stderr kept)."""
    return subprocess.Popen(
        [sys.executable, "-m", "netmap", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **QUICK},
    )


@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_a_server_stopped_during_an_import_leaves_the_store_as_before_or_after(
    own_server, larger_network, how
):
    before = counts_and_revision(own_server)
    process = cli("--store", own_server.uri, "import", str(larger_network))
    try:
        wait_until_writing(own_server, process)
        own_server.stop(kill=how == "SIGKILL")
        _, stderr = process.communicate(timeout=180)
        if how == "SIGTERM":  # a clean shutdown, as the start script promises
            assert own_server.log.read_text().rstrip().endswith("neo4j-server: stopped")
    finally:
        restarted(own_server)
    assert process.returncode == 1
    # The generated names draw look-alike warnings before the write; the fault is one line.
    lines = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, stderr
    assert any(
        said in lines[0]
        for said in (
            "cannot reach the Neo4j server",  # the server is gone
            "the database is not available",  # it is shutting down (SIGTERM)
            "cannot tell whether the write landed",  # it went during the commit
        )
    ), lines[0]
    assert PASSWORD not in stderr
    after = counts_and_revision(own_server)
    assert after == before, "the import left part of itself behind"


def test_a_server_stopped_during_a_sync_leaves_the_target_as_before(
    own_server, larger_network, tmp_path
):
    source = SQLiteStore(tmp_path / "commission.db", actor="fault-test")
    import_into(source, larger_network)
    before = counts_and_revision(own_server)
    process = cli("sync", "--from", source.url, "--to", own_server.uri)
    try:
        wait_until_writing(own_server, process)
        own_server.stop(kill=True)
        _, stderr = process.communicate(timeout=180)
    finally:
        restarted(own_server)
    assert process.returncode == 1
    assert len([line for line in stderr.splitlines() if line.startswith("error:")]) == 1, stderr
    assert PASSWORD not in stderr
    assert counts_and_revision(own_server) == before
    # And the same sync, run again with the server up, lands whole.
    done = runner.invoke(app, ["sync", "--from", source.url, "--to", own_server.uri])
    assert done.exit_code == 0, done.output
    counts, _ = counts_and_revision(own_server)
    assert counts[RecordKind.INSTITUTION] == before[0][RecordKind.INSTITUTION] + 1500


def test_a_server_restarted_under_the_app_is_reported_and_the_page_recovers(
    own_server, monkeypatch
):
    monkeypatch.setenv("NETMAP_STORE", own_server.uri)
    monkeypatch.delenv("NETMAP_ROLE", raising=False)
    at = page_test("directory").run()
    assert not at.exception and not at.error
    own_server.stop()
    try:
        at.run(timeout=180)
    finally:
        own_server.start()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1
    message = at.error[0].value
    assert "cannot open its store" in message and "cannot reach the Neo4j server" in message
    assert PASSWORD not in texts(at)
    at.run()  # the server is back; the user reloads the page
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Directory"


# --- naming the server wrong: one line each, never the password ----------------------------


def one_line_error(url: str) -> str:
    result = runner.invoke(app, ["--store", url, "stats"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert PASSWORD not in result.output and "wrong-secret" not in result.output
    return lines[0]


def test_a_wrong_password_is_one_line_without_the_password(own_server):
    line = one_line_error(f"bolt://netmap:wrong-secret@127.0.0.1:{own_server.port}")
    assert line.startswith(f"error: bolt://127.0.0.1:{own_server.port}: ")
    assert "wrong-secret" not in line
    assert "the server refused user 'netmap'" in line
    assert "NETMAP_NEO4J_PASSWORD" in line


def test_a_wrong_database_name_is_one_line_without_the_password(own_server):
    line = one_line_error(f"bolt://netmap:{PASSWORD}@127.0.0.1:{own_server.port}/commission")
    assert "the server has no database 'commission'" in line


def test_an_unreachable_host_is_one_line_without_the_password(own_server):
    # A loopback address nothing listens on: the driver really fails to connect.
    line = one_line_error(f"bolt://netmap:{PASSWORD}@127.0.0.2:{own_server.port}")
    assert "cannot reach the Neo4j server" in line
