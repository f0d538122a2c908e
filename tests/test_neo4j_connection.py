"""Opening a Neo4j store: its URL, its credentials, and what a user sees when it fails.

None of these needs a server. The unreachable server is a closed port on this machine's
loopback address: the real driver really fails to connect.
"""

from __future__ import annotations

import logging
import re
import socket

import pytest
from typer.testing import CliRunner

from netmap.cli import app
from netmap.errors import StoreUnavailable
from netmap.store import open_store
from netmap.store.neo4j import Neo4jSettings, Neo4jStore

SECRET = "s3cret-Pa55word"


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (taken from the OS, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(autouse=True)
def no_neo4j_environment(monkeypatch):
    for name in ("NETMAP_NEO4J_USER", "NETMAP_NEO4J_PASSWORD", "NETMAP_NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)


# --- URL and credentials ------------------------------------------------------------------


def test_a_plain_url_means_no_credentials_and_the_servers_default_database():
    settings = Neo4jSettings.from_url("bolt://localhost:7687")
    assert (settings.user, settings.password, settings.database) == (None, None, None)
    assert settings.auth is None
    assert settings.url == settings.driver_uri == "bolt://localhost:7687"


def test_user_password_and_database_can_be_written_in_the_url():
    settings = Neo4jSettings.from_url(
        f"neo4j+s://alice:{SECRET}%40x@abc123.databases.neo4j.io/netmap"
    )
    assert settings.user == "alice"
    assert settings.password == f"{SECRET}@x"  # percent-decoded
    assert settings.database == "netmap"
    assert settings.auth == ("alice", f"{SECRET}@x")
    assert settings.driver_uri == "neo4j+s://abc123.databases.neo4j.io"
    assert settings.url == "neo4j+s://alice@abc123.databases.neo4j.io/netmap"


def test_credentials_and_database_come_from_the_environment_when_the_url_has_none(monkeypatch):
    monkeypatch.setenv("NETMAP_NEO4J_USER", "commission")
    monkeypatch.setenv("NETMAP_NEO4J_PASSWORD", SECRET)
    monkeypatch.setenv("NETMAP_NEO4J_DATABASE", "plovdiv")
    settings = Neo4jSettings.from_url("neo4j://db.example.org")
    assert settings.auth == ("commission", SECRET)
    assert settings.url == "neo4j://commission@db.example.org/plovdiv"


def test_what_the_url_says_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("NETMAP_NEO4J_USER", "from-env")
    monkeypatch.setenv("NETMAP_NEO4J_PASSWORD", "env-password")
    monkeypatch.setenv("NETMAP_NEO4J_DATABASE", "envdb")
    settings = Neo4jSettings.from_url(f"bolt://url-user:{SECRET}@localhost/urldb")
    assert settings.auth == ("url-user", SECRET)
    assert settings.database == "urldb"


def test_a_password_alone_signs_in_as_the_default_user_neo4j(monkeypatch):
    monkeypatch.setenv("NETMAP_NEO4J_PASSWORD", SECRET)
    assert Neo4jSettings.from_url("bolt://localhost").auth == ("neo4j", SECRET)


@pytest.mark.parametrize("scheme", ["neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"])
def test_every_neo4j_scheme_is_understood(scheme):
    assert (
        Neo4jSettings.from_url(f"{scheme}://[::1]:7687/db").driver_uri == f"{scheme}://[::1]:7687"
    )


def test_routing_options_are_passed_to_the_driver_for_neo4j_urls():
    settings = Neo4jSettings.from_url("neo4j://cluster.example.org?region=eu")
    assert settings.driver_uri == "neo4j://cluster.example.org?region=eu"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (f"bolt://neo4j:{SECRET}@localhost:port", "the port is not a number"),
        (f"bolt://neo4j:{SECRET}@localhost:7687/a/b", "at most one database name"),
        (f"bolt://neo4j:{SECRET}@localhost:7687?policy=eu", "bolt:// URLs take no ?options"),
        (f"bolt://neo4j:{SECRET}@/netmap", "names no server"),
        (f"http://neo4j:{SECRET}@localhost:7474", "not a Neo4j URL"),
    ],
)
def test_a_malformed_url_is_explained_without_its_password(url, message):
    with pytest.raises(StoreUnavailable, match=re.escape(message)) as raised:
        Neo4jSettings.from_url(url)
    assert SECRET not in str(raised.value)
    # Errors name the server by scheme, host and port only (issue 16).
    assert str(raised.value).startswith(("bolt://localhost", "bolt://…", "http://localhost"))


def test_the_password_is_not_in_the_settings_repr():
    assert SECRET not in repr(Neo4jSettings.from_url(f"bolt://neo4j:{SECRET}@localhost"))


# --- an unreachable server -----------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_an_unreachable_server_gets_one_line_naming_the_url_and_what_to_check(
    scheme, closed_port, caplog
):
    caplog.set_level(logging.DEBUG)  # everything the driver and netmap log
    url = f"{scheme}://neo4j:{SECRET}@127.0.0.1:{closed_port}/netmap"
    with pytest.raises(StoreUnavailable) as raised:
        Neo4jStore.from_url(url, actor="tester")
    message = str(raised.value)
    assert message.startswith(f"{scheme}://127.0.0.1:{closed_port}: ")
    assert "cannot reach the Neo4j server" in message
    assert "check that it is running and that host and port are right" in message
    assert "\n" not in message
    assert SECRET not in message
    assert SECRET not in caplog.text
    assert SECRET not in str(raised.value.__cause__)  # the driver never saw it in a URI


def test_a_password_from_the_environment_stays_out_of_messages_and_logs(
    monkeypatch, closed_port, caplog
):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("NETMAP_NEO4J_PASSWORD", SECRET)
    with pytest.raises(StoreUnavailable) as raised:
        open_store(f"bolt://127.0.0.1:{closed_port}", actor="tester")
    assert str(raised.value).startswith(f"bolt://127.0.0.1:{closed_port}: cannot reach")
    assert SECRET not in str(raised.value)
    assert SECRET not in caplog.text


def test_the_cli_says_one_line_and_exits_1_when_the_server_is_unreachable(closed_port):
    url = f"bolt://neo4j:{SECRET}@127.0.0.1:{closed_port}"
    result = CliRunner().invoke(app, ["--store", url, "stats"])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: bolt://127.0.0.1:{closed_port}: cannot reach")
    assert SECRET not in result.output


def test_init_demo_into_an_unreachable_server_says_one_line_and_exits_1(closed_port):
    result = CliRunner().invoke(
        app, ["--store", f"neo4j://127.0.0.1:{closed_port}", "init", "--demo"]
    )
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "cannot reach the Neo4j server" in result.stderr
