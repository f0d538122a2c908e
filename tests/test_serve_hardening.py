"""The server against the network, written as the attacks: a page of another site that
resolves to 127.0.0.1 (DNS rebinding), and a server that calls the internet at start.

Real servers only: ``netmap serve`` on a free loopback port, raw HTTP and WebSocket
handshakes, and (marked ``browser``) Debian's Chromium told that ``rebind.example`` is
127.0.0.1. Nothing here leaves the machine: the outbound trap refuses every connection
that is not to loopback, and records it.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import socket
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from app_fixtures import start_served, stop_served

from netmap.io import import_into
from netmap.resources import data_file
from netmap.serve import allowed_hosts, streamlit_command
from netmap.store import SQLiteStore
from netmap.ui.browser import from_elsewhere, host_allowed

unix_only = pytest.mark.skipif(sys.platform == "win32", reason="sends SIGTERM")
CHROMIUM = Path("/usr/bin/chromium")
DEMO_NAMES = ("ARSIS", "Plovdiv")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("served") / "demo.db"
    import_into(SQLiteStore(path, actor="fixture"), data_file("demo"))
    return path


@pytest.fixture
def environment(demo_file, tmp_path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NETMAP_ROLE", "NETMAP_MODE", "NETMAP_ALLOWED_HOSTS")
    }
    copy = tmp_path / "netmap.db"
    copy.write_bytes(demo_file.read_bytes())
    env["NETMAP_STORE"] = f"sqlite:///{copy}"
    return env


def handshake(port: int, host: str, origin: str | None = None) -> str:
    """The status line the server answers a WebSocket handshake for the app with."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        "GET /_stcore/stream HTTP/1.1\r\n"
        f"Host: {host}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Protocol: streamlit, placeholder\r\n"
        + (f"Origin: {origin}\r\n" if origin else "")
        + "\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request.encode())
        return connection.recv(4096).decode("latin-1").split("\r\n", 1)[0]


def http_get(port: int, host: str, path: str = "/") -> bytes:
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request.encode())
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


# --- the parts, one by one -------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "team", "allowed"),
    [
        (None, False, True),  # not a browser: AppTest, the server's own health check
        ("localhost:8501", False, True),
        ("127.0.0.1:8501", False, True),
        ("[::1]:8501", False, True),
        ("LOCALHOST.:8501", False, True),
        ("rebind.example:8501", False, False),
        ("netmap.example.org", False, False),  # configured, but local mode: this computer only
        ("netmap.example.org", True, True),
        ("evil.netmap.example.org", True, False),
        ("localhost@rebind.example", True, False),
        ("localhost:port", True, False),
    ],
)
def test_the_app_answers_only_to_its_own_names(monkeypatch, header, team, allowed):
    monkeypatch.setenv("NETMAP_ALLOWED_HOSTS", "netmap.example.org")
    assert host_allowed(header, team) is allowed


@pytest.mark.parametrize(
    ("address", "elsewhere"),
    [
        ("127.0.0.1", False),
        ("::1", False),
        ("::ffff:127.0.0.1", False),  # a server on `--host ::` sees IPv4 loopback so
        ("::ffff:10.0.0.5", True),
        ("10.0.0.5", True),
        (None, False),
    ],
)
def test_the_users_own_ipv4_loopback_seen_through_ipv6_is_this_computer(address, elsewhere):
    assert from_elsewhere(address) is elsewhere


def test_the_streamlit_command_names_its_hosts_and_its_own_address():
    command = streamlit_command("0.0.0.0", 8501, allowed_hosts(["Netmap.Example.org"]))
    pairs = dict(itertools.pairwise(command))
    assert command[1:3] == ["-m", "netmap.ui.launch"]
    assert pairs["--browser.serverAddress"] == "localhost"
    hosts = [command[i + 1] for i, part in enumerate(command) if part == "--server.allowedHosts"]
    assert hosts == ["localhost", "127.0.0.1", "::1", "netmap.example.org"]


# --- a real server ---------------------------------------------------------------------


@unix_only
def test_a_foreign_host_header_gets_no_connection_and_no_data(environment, tmp_path):
    process, url, _ = start_served(tmp_path / "serve.log", environment)
    port = int(url.rsplit(":", 1)[1])
    try:
        assert handshake(port, f"localhost:{port}").startswith("HTTP/1.1 101")
        for host in (f"rebind.example:{port}", "rebind.example", f"127.0.0.1.nip.io:{port}"):
            status = handshake(port, host, origin=f"http://{host}")
            assert not status.startswith("HTTP/1.1 101"), (host, status)
        # What plain HTTP gives such a page is Streamlit's empty shell: no network in it.
        page = http_get(port, f"rebind.example:{port}")
        for name in DEMO_NAMES:
            assert name.encode() not in page
    finally:
        stop_served(process)


TRAP = textwrap.dedent(
    """
    # Loaded by every Python process of the test server (it is first on PYTHONPATH):
    # refuses and records any connection or name lookup that is not this computer.
    import ipaddress, os, socket

    _LOG = os.environ["NETMAP_TEST_OUTBOUND_LOG"]
    _connect, _connect_ex, _getaddrinfo = (
        socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo
    )

    def _local(host):
        if host in ("localhost", "", None):
            return True
        try:
            return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
        except ValueError:
            return False

    def _note(what):
        with open(_LOG, "a") as log:
            log.write(what + "\\n")

    def connect(self, address, _real=_connect):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _local(address[0]):
            _note(f"connect {address!r}")
            raise OSError(101, "refused by the test's outbound trap")
        return _real(self, address)

    def connect_ex(self, address):
        try:
            connect(self, address, _real=_connect_ex)
        except OSError as error:
            return error.errno
        return 0

    def getaddrinfo(host, *args, **kwargs):
        if not _local(host):
            _note(f"lookup {host!r}")
            raise socket.gaierror(-2, "refused by the test's outbound trap")
        return _getaddrinfo(host, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
    socket.getaddrinfo = getaddrinfo
    """
)


class ProxyTrap:
    """A loopback socket named as every proxy: whatever asks a proxy to reach the
    internet lands here and is recorded, and goes no further."""

    def __init__(self):
        self.heard: list[bytes] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(2)
                try:
                    self.heard.append(connection.recv(4096))
                except OSError:
                    self.heard.append(b"(connected)")

    def close(self):
        self.listener.close()


@unix_only
@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_serve_on_every_address_calls_nothing_outside_this_computer(environment, tmp_path, host):
    trap_folder = tmp_path / "trap"
    trap_folder.mkdir()
    (trap_folder / "sitecustomize.py").write_text(TRAP)
    log = tmp_path / "outbound.log"
    log.touch()
    proxy = ProxyTrap()
    proxy_url = f"http://127.0.0.1:{proxy.port}"
    environment = {
        **environment,
        "PYTHONPATH": os.pathsep.join([str(trap_folder), environment.get("PYTHONPATH", "")]),
        "NETMAP_TEST_OUTBOUND_LOG": str(log),
        **{name: proxy_url for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")},
        **{name.lower(): proxy_url for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")},
    }
    environment.pop("NO_PROXY", None)
    environment.pop("no_proxy", None)
    process, url, said = start_served(
        tmp_path / "serve.log", environment, serve_options=("--host", host)
    )
    port = int(url.rsplit(":", 1)[1])
    try:
        # A page of another site opening the app's WebSocket: Streamlit's origin check
        # would ask the internet for this computer's address.
        handshake(port, f"localhost:{port}", origin="http://evil.example")
        assert handshake(port, f"localhost:{port}").startswith("HTTP/1.1 101")
    finally:
        stop_served(process)
        proxy.close()
    served = (tmp_path / "serve.log").read_text()
    assert "External URL" not in served
    assert proxy.heard == [], proxy.heard
    assert log.read_text() == "", log.read_text()
    assert (trap_folder / "sitecustomize.py").exists() and "netmap is ready" in served, said


# --- in a browser ----------------------------------------------------------------------


def chromium(*extra: str):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    playwright = sync_api.sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-quic",
            *extra,
        ],
    )
    return playwright, browser


def visible_text(page, seconds: float) -> str:
    page.wait_for_timeout(seconds * 1000)
    return page.inner_text("body")


@pytest.mark.browser
@unix_only
def test_a_rebinding_page_in_a_real_browser_sees_nothing_of_the_network(environment, tmp_path):
    process, url, _ = start_served(tmp_path / "serve.log", environment)
    port = int(url.rsplit(":", 1)[1])
    playwright, browser = chromium("--host-resolver-rules=MAP rebind.example 127.0.0.1")
    try:
        page = browser.new_page()
        page.goto(f"http://rebind.example:{port}/data")
        shown = page.content() + visible_text(page, 8)
        for seen in (*DEMO_NAMES, "institutions", "local mode", "Data"):
            assert seen not in shown
        # The same browser, on this computer's own name, does see the network.
        page.goto(f"http://localhost:{port}/data")
        page.wait_for_selector("h1:has-text('Data')", timeout=60_000)
        shown = visible_text(page, 2)
        assert "local mode" in shown and "institutions" in shown
    finally:
        browser.close()
        playwright.stop()
        stop_served(process)


@pytest.mark.browser
@unix_only
def test_serve_on_ipv6_lets_the_users_own_ipv4_browser_in(environment, tmp_path):
    process, url, _ = start_served(
        tmp_path / "serve.log", environment, serve_options=("--host", "::")
    )
    port = int(url.rsplit(":", 1)[1])
    playwright, browser = chromium()
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/data")
        page.wait_for_selector("h1:has-text('Data')", timeout=60_000)
        shown = visible_text(page, 2)
        assert "local mode" in shown and "institutions" in shown
        assert "only for the computer it runs on" not in shown
    finally:
        browser.close()
        playwright.stop()
        stop_served(process)


def test_what_the_tests_trap_refuses_is_recorded(tmp_path):
    """The trap itself: a lookup of an outside name is refused and written down."""
    (tmp_path / "sitecustomize.py").write_text(TRAP)
    log = tmp_path / "outbound.log"
    code = "import socket\ntry:\n    socket.getaddrinfo('checkip.amazonaws.com', 80)\nexcept OSError:\n    print('refused')"
    import subprocess

    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(tmp_path), "NETMAP_TEST_OUTBOUND_LOG": str(log)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "refused"
    assert json.dumps(log.read_text()).count("checkip.amazonaws.com") == 1
