"""Start the Streamlit app on a store: what ``netmap serve`` runs.

The server is prepared before anyone is sent to it: once Streamlit answers, netmap asks it
to run the app's first page once (Streamlit's script health check), which reads the
network and fills the caches every visitor shares. On a hundred thousand institutions that
takes seconds the first visitor would otherwise wait for. Only then is the browser opened.
"""

from __future__ import annotations

import os
import signal
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

from netmap.resources import bundled

#: How long Streamlit may take to answer at all, and to run the first page once (its own
#: limit for the script health check is 60 s: past it, the run is cut short).
START_TIMEOUT = 60.0
PREPARE_TIMEOUT = 90.0


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
    while not _answers(f"{address}/_stcore/health"):
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
        took = time.monotonic() - preparing
        return f"netmap is ready at {shown} (its first page was prepared in {took:.1f} s)."
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
