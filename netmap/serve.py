"""Start the Streamlit app on a store: what ``netmap serve`` runs."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import webbrowser

from netmap.resources import bundled


def streamlit_command(host: str, port: int) -> list[str]:
    """The command line that runs the app with netmap's settings.

    The app only listens on ``host``; usage statistics are never sent (the network's
    data is sensitive and many users work offline). An unexpected error shows its type in
    the browser and its traceback in the terminal only; the toolbar keeps the viewer's
    options (print, theme) and drops the developer's (rerun, clear cache, deploy).
    """
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(bundled("app.py")),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
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


def serve(
    store_url: str, host: str = "127.0.0.1", port: int = 8501, open_browser: bool = True
) -> int:
    """Run the app until it is stopped (Ctrl+C); return its exit status."""
    environment = {**os.environ, "NETMAP_STORE": store_url}
    address = f"http://{'localhost' if host in ('127.0.0.1', '0.0.0.0') else host}:{port}"
    print(f"netmap is starting at {address} (store: {store_url}). Press Ctrl+C to stop.")
    if open_browser:
        threading.Timer(2.5, webbrowser.open, args=(address,)).start()
    try:
        return subprocess.call(streamlit_command(host, port), env=environment)
    except KeyboardInterrupt:
        return 0
