"""Start the Streamlit app on a store: what ``netmap serve`` runs.

The port is checked before anything else (:func:`choose_port`): a port another program
holds is named, with a free one to use instead, and nothing is started. The server is
prepared before anyone is sent to it: once this server answers, netmap asks it to run the
app's first page once (Streamlit's script health check), which reads the network and
fills the caches every visitor shares. On a hundred thousand institutions that takes
seconds the first visitor would otherwise wait for. Only then is the browser opened.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import webbrowser
from collections.abc import Callable, Sequence
from types import FrameType
from typing import Any, NoReturn

from netmap.errors import NetmapError
from netmap.resources import bundled

#: How long Streamlit may take to answer at all, and to run the first page once (its own
#: limit for the script health check is 60 s: past it, the run is cut short).
START_TIMEOUT = 60.0
PREPARE_TIMEOUT = 90.0


#: The port netmap serves on unless told otherwise, and how far ``--port auto`` looks on.
DEFAULT_PORT = 8501
AUTO_PORTS = 100


class PortBusy(NetmapError):
    """The port to serve on is held by another program; nothing was started."""


def port_is_free(host: str, port: int) -> bool:
    """True when a server could listen on ``host``:``port`` now: nothing else holds it.

    Binds a probe socket the way the server will (on every address ``host`` stands for;
    a port left in TIME_WAIT by a server that just stopped counts as free, as it does
    for the server, except on Windows, where that option would let two servers share a
    port). Raises :class:`NetmapError` when ``host`` is not an address of this computer.
    """
    for family, address in _listening_addresses(host, port):
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            if os.name != "nt":
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                if exc.errno in (errno.EADDRINUSE, errno.EACCES) or getattr(
                    exc, "winerror", None
                ) in (10013, 10048):
                    return False
                raise NetmapError(
                    f"cannot listen on {host!r}: {exc.strerror} (is it an address of this "
                    "computer? --host 127.0.0.1 serves this computer only)"
                ) from None
    return True


def _listening_addresses(
    host: str, port: int
) -> list[tuple[socket.AddressFamily, tuple[Any, ...]]]:
    """The (family, address) pairs a server on ``host`` listens on. An address needs no
    lookup (and gets none: nothing is asked of a name server for ``0.0.0.0``)."""
    try:
        literal = ipaddress.ip_address(host.strip("[]") or "0.0.0.0")
    except ValueError:
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        except socket.gaierror as exc:
            raise NetmapError(f"cannot listen on {host!r}: {exc.strerror}") from None
        return [(family, address) for family, _, _, _, address in found]
    if literal.version == 6:
        return [(socket.AF_INET6, (str(literal), port, 0, 0))]
    return [(socket.AF_INET, (str(literal), port))]


def parse_port(text: str) -> int | None:
    """Read ``--port``: a number from 1 to 65535, or ``auto`` (None)."""
    if text.strip().casefold() == "auto":
        return None
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise NetmapError(f"--port takes a number from 1 to 65535, or auto; not {text!r}")
    return port


def choose_port(host: str, wanted: int | None) -> int:
    """The port to serve on: ``wanted`` if it is free, else :class:`PortBusy` naming it and
    a free one; with ``wanted`` None (``--port auto``), the first free port from
    :data:`DEFAULT_PORT` on."""
    if wanted is not None:
        if port_is_free(host, wanted):
            return wanted
        instead = _next_free(host, wanted + 1)
        suggestion = f"--port {instead} (free now)" if instead else "another --port"
        raise PortBusy(
            f"port {wanted} is already in use on {host or 'every address'}, by another "
            f"program (perhaps another netmap): nothing was started. Choose another port "
            f"with {suggestion}, or --port auto to take the first free one."
        )
    found = _next_free(host, DEFAULT_PORT)
    if found is None:
        last = DEFAULT_PORT + AUTO_PORTS - 1
        raise PortBusy(f"ports {DEFAULT_PORT} to {last} are all in use: choose one with --port")
    return found


def _next_free(host: str, start: int) -> int | None:
    return next(
        (port for port in range(start, min(start + AUTO_PORTS, 65536)) if port_is_free(host, port)),
        None,
    )


#: The names a browser on this computer uses for it: always allowed in the Host header.
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def allowed_hosts(configured: Sequence[str] | None = None) -> tuple[str, ...]:
    """The host names the server answers to: this computer's, and the names configured
    for team mode (``--allowed-host``, else ``NETMAP_ALLOWED_HOSTS``, comma-separated).

    A browser sends the name it used in its Host header. A page of some other site whose
    name is made to resolve to this computer (DNS rebinding) sends that site's name, and
    is refused: it never reaches the app and its data.
    """
    if configured is None:
        configured = os.environ.get("NETMAP_ALLOWED_HOSTS", "").replace(",", " ").split()
    names = [name.strip().strip("[]").lower().rstrip(".") for name in configured]
    return tuple(dict.fromkeys([*LOOPBACK_NAMES, *(name for name in names if name)]))


def streamlit_command(host: str, port: int, hosts: Sequence[str] = LOOPBACK_NAMES) -> list[str]:
    """The command line that runs the app with netmap's settings.

    The app only listens on ``host`` and only answers to the names in ``hosts`` (Host
    headers; see :func:`allowed_hosts`). Nothing is looked up on the internet at start
    or later (``browser.serverAddress`` is set, and :mod:`netmap.ui.launch` turns off
    Streamlit's address lookups), and usage statistics are never sent (the network's
    data is sensitive and many users work offline). An unexpected error shows its type
    in the browser and its traceback in the terminal only; the toolbar keeps the
    viewer's options (print, theme) and drops the developer's (rerun, clear cache,
    deploy). The script health check is what :func:`prepare` calls: a run of the first
    page whose output goes nowhere, and which in team mode stops at the sign-in screen.
    """
    shown = local_address(host, port).removeprefix("http://").rsplit(":", 1)[0].strip("[]")
    return [
        sys.executable,
        "-m",
        "netmap.ui.launch",
        "run",
        str(bundled("app.py")),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.serverAddress",
        shown,
        "--browser.serverPort",
        str(port),
        *(option for name in hosts for option in ("--server.allowedHosts", name)),
        "--server.scriptHealthCheckEnabled",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--global.developmentMode",
        "false",
        "--client.showErrorDetails",
        "type",
        "--client.toolbarMode",
        "viewer",
    ]


#: The hosts that mean "this computer" (or every address of it) to the server.
_LOCAL_HOSTS = ("127.0.0.1", "localhost", "0.0.0.0", "::", "::1", "")


def local_address(host: str, port: int) -> str:
    """The address a browser on this computer opens the app at."""
    reachable = "localhost" if host in _LOCAL_HOSTS else host
    return f"http://{f'[{reachable}]' if ':' in reachable else reachable}:{port}"


def _probe_address(host: str, port: int) -> str:
    """The address :func:`prepare` asks at: the loopback address of the server's kind."""
    if host in ("::", "::1"):
        return f"http://[::1]:{port}"
    if host in _LOCAL_HOSTS:
        return f"http://127.0.0.1:{port}"
    return local_address(host, port)


def prepare(address: str, server: subprocess.Popen[bytes], shown: str | None = None) -> str:
    """Wait for the server at ``address`` to answer, then have it run the first page once.

    ``shown`` is the address the terminal names (default: ``address``). Returns what
    happened, as a sentence for the terminal: ready; ready while the first
    page is still being prepared (a network so large that it takes longer than Streamlit
    lets a check run); ready but the first page failed (Streamlit has printed the
    traceback above); or the server stopped or did not answer.
    """
    shown = shown or address
    started = time.monotonic()
    # Only this server's answer counts: one that answers after it has stopped is another.
    while not _answers(f"{address}/_stcore/health") or server.poll() is not None:
        if server.poll() is not None:
            return f"netmap's server stopped (exit status {server.returncode})."
        if time.monotonic() - started > START_TIMEOUT:
            return f"netmap's server has not answered in {START_TIMEOUT:.0f} s."
        time.sleep(0.2)
    print("Preparing the network view…", flush=True)
    preparing = time.monotonic()
    try:
        with _LOOPBACK.open(f"{address}/_stcore/script-health-check", timeout=PREPARE_TIMEOUT):
            pass
    except urllib.error.HTTPError as error:
        if error.read().strip() != b"timeout":
            return f"netmap is at {shown}, but its first page failed (the error is above)."
    except OSError:
        pass
    else:
        if server.poll() is not None:
            return f"netmap's server stopped (exit status {server.returncode})."
        took = time.monotonic() - preparing
        return f"netmap is ready at {shown} (its first page was prepared in {took:.1f} s)."
    if server.poll() is not None:
        return f"netmap's server stopped (exit status {server.returncode})."
    return f"netmap is ready at {shown}; its first page is still being prepared."


# Straight to the server: a proxy named in the environment must not see these requests.
_LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _answers(url: str) -> bool:
    try:
        with _LOOPBACK.open(url, timeout=2) as answer:
            status: int = answer.status
            return status == 200
    except OSError:
        return False


def serve(
    store_url: str,
    host: str = "127.0.0.1",
    port: int = 8501,
    open_browser: bool = True,
    shown_store: str | None = None,
    hosts: Sequence[str] | None = None,
) -> int:
    """Run the app until it is stopped (Ctrl+C); return its exit status.

    ``shown_store`` is the store as the terminal may show it (without a password);
    ``hosts`` the names other computers reach it by in team mode (see
    :func:`allowed_hosts`).
    """
    names = allowed_hosts(hosts)
    if host not in _LOCAL_HOSTS:
        # The address it listens on, typed into a browser: an address, not a name, so
        # no other site can have a browser send it.
        names = tuple(dict.fromkeys([*names, host.lower()]))
    environment = {
        **os.environ,
        "NETMAP_STORE": store_url,
        "NETMAP_ALLOWED_HOSTS": ",".join(names[len(LOOPBACK_NAMES) :]),
    }
    address = local_address(host, port)
    print(
        f"netmap is starting at {address} (store: {shown_store or store_url}). "
        "Press Ctrl+C to stop.",
        flush=True,
    )
    if host in ("0.0.0.0", "::", "") and len(names) == len(LOOPBACK_NAMES):
        print(
            "Other computers reach netmap by a name you give with --allowed-host (or "
            "NETMAP_ALLOWED_HOSTS), in team mode only; none is given, so only this "
            "computer can use it.",
            flush=True,
        )
    server = subprocess.Popen(streamlit_command(host, port, names), env=environment)
    on_term = _stop_on_terminate()
    try:
        print(prepare(_probe_address(host, port), server, address), flush=True)
        if open_browser and server.poll() is None:
            webbrowser.open(address)
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        _stop(server)
        if on_term is not None:
            signal.signal(signal.SIGTERM, on_term)


def _stop_on_terminate() -> Callable[[int, FrameType | None], Any] | int | None:
    """Stop on SIGTERM (a service manager, ``kill``) as on Ctrl+C, so that Streamlit is
    stopped too and not left running; return the handler it replaces."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def interrupt(signum: int, frame: FrameType | None) -> NoReturn:
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, interrupt)


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop Streamlit (it may be stopping already: Ctrl+C reaches it too)."""
    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
