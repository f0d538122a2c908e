"""A Neo4j password with ``/``, ``#`` or ``?`` in it: it must parse, and it must never be
printed, by the command line or the app, on any error path. Written as the attack: the
password is the one the attacker hoped to read."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from app_fixtures import APP, free_port, page_test, stop_served, texts
from typer.testing import CliRunner

from netmap.cli import app
from netmap.errors import StoreUnavailable
from netmap.store import shown_url
from netmap.store.neo4j import Neo4jSettings
from netmap.ui import access

SECRET = "s3cr/t#pa?ss@word"
PIECES = ("s3cr", "t#pa", "pa?ss", "ss@word", "word")
runner = CliRunner()


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(autouse=True)
def no_neo4j_environment(monkeypatch):
    for name in ("NETMAP_NEO4J_USER", "NETMAP_NEO4J_PASSWORD", "NETMAP_NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)


def assert_no_secret(text: str) -> None:
    for piece in PIECES:
        assert piece not in text, (piece, text)


@pytest.mark.parametrize("scheme", ["bolt", "neo4j+s"])
def test_a_password_with_slash_hash_and_question_mark_parses(scheme):
    settings = Neo4jSettings.from_url(f"{scheme}://commission:{SECRET}@db.example.org:7687/plovdiv")
    assert settings.auth == ("commission", SECRET)
    assert settings.host == "db.example.org" and settings.port == 7687
    assert settings.database == "plovdiv"
    assert settings.driver_uri == f"{scheme}://db.example.org:7687"
    assert_no_secret(repr(settings) + settings.url + settings.shown)


def test_percent_escapes_still_work_and_the_environment_still_serves(monkeypatch):
    assert Neo4jSettings.from_url("bolt://neo4j:50%25%2Foff@localhost").password == "50%/off"
    monkeypatch.setenv("NETMAP_NEO4J_PASSWORD", SECRET)
    assert Neo4jSettings.from_url("bolt://localhost:7687").auth == ("neo4j", SECRET)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"bolt://neo4j:{SECRET}@localhost:7687/db?x=1", "bolt://localhost:7687"),
        (f"neo4j+s://u:{SECRET}@[::1]:7687", "neo4j+s://[::1]:7687"),
        (f"bolt://neo4j:{SECRET}@localhost:port", "bolt://…"),
        (f"bolt://neo4j:{SECRET}@/netmap", "bolt://…"),
        (f"http://neo4j:{SECRET}@localhost:7474", "http://localhost:7474"),
        ("sqlite:///srv/netmap/netmap.db", "sqlite:///srv/netmap/netmap.db"),
    ],
)
def test_a_store_url_is_shown_as_scheme_host_and_port_only(url, shown):
    assert shown_url(url) == shown


@pytest.mark.parametrize(
    "url",
    [
        f"bolt://neo4j:{SECRET}@localhost:port",
        f"bolt://neo4j:{SECRET}@localhost:7687/a/b",
        f"bolt://neo4j:{SECRET}@localhost:7687?policy=eu",
        f"bolt://neo4j:{SECRET}@/netmap",
        "neo4j://neo4j:s3cr/t#pa?ss",  # no @: all of it is taken for the server
    ],
)
def test_a_malformed_url_is_explained_without_any_of_the_password(url):
    with pytest.raises(StoreUnavailable) as raised:
        Neo4jSettings.from_url(url)
    assert_no_secret(str(raised.value))
    assert "neo4j@" not in str(raised.value)


@pytest.mark.parametrize("command", [["stats"], ["serve", "--no-open"], ["log"]])
def test_the_cli_names_an_unreachable_server_without_the_password(closed_port, command):
    url = f"bolt://neo4j:{SECRET}@127.0.0.1:{closed_port}"
    result = runner.invoke(app, ["--store", url, *command])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: bolt://127.0.0.1:{closed_port}: cannot reach")
    assert len(result.stderr.strip().splitlines()) == 1
    assert_no_secret(result.output)


def test_the_app_names_an_unreachable_server_without_the_password(closed_port, monkeypatch):
    monkeypatch.setenv("NETMAP_STORE", f"bolt://neo4j:{SECRET}@127.0.0.1:{closed_port}")
    for name in ("NETMAP_ROLE", "NETMAP_MODE"):
        monkeypatch.delenv(name, raising=False)
    access.forget_accounts()
    at = page_test("network").run()
    assert not at.exception
    shown = texts(at)
    assert f"bolt://127.0.0.1:{closed_port}" in shown.replace("\\", "")
    assert_no_secret(shown)


def own_address() -> str | None:
    """An address of this computer that is not loopback (traffic to it stays here)."""
    try:
        listed = subprocess.run(
            ["ip", "-4", "-o", "addr"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    for line in listed.splitlines():
        address = line.split()[3].split("/")[0]
        if not address.startswith("127."):
            return address
    return None


@pytest.mark.browser
def test_a_browser_on_another_address_learns_nothing_of_where_the_store_is(closed_port, tmp_path):
    """Before anyone has signed in, a visitor who is not on the server's own computer sees
    that the store is unavailable, and neither its address nor its password."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Debian's chromium is missing")
    address = own_address()
    if address is None:
        pytest.skip("this computer has no address but loopback")
    sync_api = pytest.importorskip("playwright.sync_api")
    port = free_port()
    log = (tmp_path / "streamlit.log").open("w")
    environment = {
        **os.environ,
        "NETMAP_STORE": f"bolt://neo4j:{SECRET}@127.0.0.1:{closed_port}",
        "NETMAP_ALLOWED_HOSTS": address,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "netmap.ui.launch",
            "run",
            str(APP),
            "--server.address",
            address,
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.allowedHosts",
            address,
        ],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    playwright = sync_api.sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=str(chromium), headless=True, args=["--no-sandbox", "--disable-gpu"]
    )
    try:
        page = browser.new_page()
        for _ in range(120):
            try:
                page.goto(f"http://{address}:{port}/")
                break
            except sync_api.Error:
                page.wait_for_timeout(500)
        page.wait_for_selector("text=cannot open its store", timeout=60_000)
        shown = page.inner_text("body")
        assert "The person who runs it can see why" in shown
        assert "127.0.0.1" not in shown and str(closed_port) not in shown
        assert_no_secret(shown + page.content())
    finally:
        browser.close()
        playwright.stop()
        stop_served(process)
    assert_no_secret((tmp_path / "streamlit.log").read_text())
