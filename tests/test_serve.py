"""``netmap serve`` through its entry point: a real Streamlit server on a loopback port.

The server is prepared before it says it is ready (its first page has run once, so the
first visitor does not wait for the network to be read), and it stops with its Streamlit
child on SIGTERM, as a service manager stops it.
"""

from __future__ import annotations

import http.server
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from app_fixtures import start_served, stop_served

from netmap import serve as serve_module
from netmap.errors import NetmapError
from netmap.model import RecordKind
from netmap.serve import (
    PortBusy,
    _probe_address,
    choose_port,
    local_address,
    parse_port,
    port_is_free,
    prepare,
)
from netmap.store import SQLiteStore

unix_only = pytest.mark.skipif(sys.platform == "win32", reason="reads /proc and sends SIGTERM")


def children_of(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "zombie" not in status.read_text()


def answers(url: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{url}/_stcore/health", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


@pytest.fixture
def fresh_computer(tmp_path) -> dict[str, str]:
    """No store named and an empty data folder: a newcomer's first ``netmap serve``."""
    environment = {k: v for k, v in os.environ.items() if k not in ("NETMAP_STORE", "NETMAP_ROLE")}
    environment["XDG_DATA_HOME"] = str(tmp_path / "data")
    return environment


@unix_only
def test_serve_runs_the_first_page_before_it_says_ready(fresh_computer, tmp_path):
    process, url, said = start_served(tmp_path / "serve.log", fresh_computer)
    try:
        # The first page loads the demo on a first start: it has run, though no browser
        # has opened the app yet.
        store = SQLiteStore(tmp_path / "data" / "netmap" / "netmap.db")
        assert store.counts()[RecordKind.INSTITUTION] == 114
        assert said[0].startswith(f"netmap is starting at http://localhost:{url.rsplit(':', 1)[1]}")
        assert "Preparing the network view…" in said
        ready = next(line for line in said if line.startswith("netmap is ready at"))
        assert "its first page was prepared in" in ready, ready
        assert answers(url)
    finally:
        stop_served(process)


@unix_only
def test_sigterm_stops_streamlit_too(fresh_computer, tmp_path):
    process, url, _ = start_served(tmp_path / "serve.log", fresh_computer)
    (streamlit,) = children_of(process.pid)
    stop_served(process)
    assert process.returncode is not None
    deadline = time.monotonic() + 15
    while alive(streamlit) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(streamlit), "Streamlit outlived netmap serve"
    assert not answers(url)


@unix_only
def test_serve_names_its_store_and_leaves_a_named_empty_store_empty(fresh_computer, tmp_path):
    url = f"sqlite:///{tmp_path / 'named.db'}"
    process, _, said = start_served(tmp_path / "serve.log", fresh_computer, "--store", url)
    try:
        assert f"(store: {url})" in said[0]
        # A named empty store is not filled: the first page ran and said what to do.
        assert SQLiteStore(tmp_path / "named.db").counts()[RecordKind.INSTITUTION] == 0
    finally:
        stop_served(process)


@pytest.mark.parametrize(
    ("host", "browser", "asked"),
    [
        ("127.0.0.1", "http://localhost:8501", "http://127.0.0.1:8501"),
        ("0.0.0.0", "http://localhost:8501", "http://127.0.0.1:8501"),
        ("::", "http://localhost:8501", "http://[::1]:8501"),
        ("192.168.1.5", "http://192.168.1.5:8501", "http://192.168.1.5:8501"),
        ("fe80::1", "http://[fe80::1]:8501", "http://[fe80::1]:8501"),
    ],
)
def test_the_browser_and_the_preparation_use_an_address_the_server_answers(host, browser, asked):
    assert local_address(host, 8501) == browser
    assert _probe_address(host, 8501) == asked


# --- a busy port ------------------------------------------------------------------------------


@pytest.fixture
def busy_port():
    """A loopback port another program listens on."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


def test_serve_on_a_busy_port_names_it_and_starts_nothing(fresh_computer, tmp_path, busy_port):
    done = subprocess.run(
        [sys.executable, "-m", "netmap", "serve", "--no-open", "--port", str(busy_port)],
        env=fresh_computer,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""  # neither "starting" nor "ready"
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"error: port {busy_port} is already in use on 127.0.0.1, by another ")
    assert re.search(r"Choose another port with --port \d+ \(free now\), or --port auto", line)
    suggested = int(re.search(r"--port (\d+) \(free now\)", line)[1])
    assert suggested != busy_port and port_is_free("127.0.0.1", suggested)
    # Checked before anything else: not even the store was opened (a first start makes it).
    assert not (tmp_path / "data" / "netmap").exists()


def test_port_auto_takes_the_first_free_port(monkeypatch, busy_port):
    monkeypatch.setattr(serve_module, "DEFAULT_PORT", busy_port)
    chosen = choose_port("127.0.0.1", parse_port("auto"))
    assert chosen > busy_port and port_is_free("127.0.0.1", chosen)
    assert not port_is_free("127.0.0.1", busy_port)
    with pytest.raises(PortBusy, match=f"port {busy_port} is already in use"):
        choose_port("127.0.0.1", busy_port)
    with pytest.raises(NetmapError, match="--port takes a number from 1 to 65535, or auto"):
        parse_port("80a")


def test_ready_is_said_only_while_this_server_runs(busy_port):
    """Another server answering on the port does not make this one ready."""
    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Healthy)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    stopped = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    stopped.wait()
    try:
        address = f"http://127.0.0.1:{other.server_address[1]}"
        assert prepare(address, stopped) == "netmap's server stopped (exit status 3)."
    finally:
        other.shutdown()
        other.server_close()


class _Healthy(http.server.BaseHTTPRequestHandler):
    """Answers every request with 200 ok, as a Streamlit server's health check does."""

    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass
