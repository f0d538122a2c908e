"""Helpers for the app tests: the page files, AppTest on a store, a hostile institution.

Not a conftest: the app tests import what they need from here, so the shared conftest
stays the foundation's.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from netmap.model import Institution, Tie
from netmap.store.base import GraphStore
from netmap.ui.navigation import PAGES as APP_PAGES

APP = Path(__file__).resolve().parent.parent / "app.py"
PAGES = {page.name: page.path for page in APP_PAGES}
TIMEOUT = 90

#: A name that runs script if any page or tooltip ever treats it as HTML.
HOSTILE_NAME = "<img src=x onerror=alert(1)>"
HOSTILE_LOCAL_NAME = '<a href="javascript:alert(2)">href</a>'
HOSTILE_ID = "gr-athens-hostile"


def page_test(name: str) -> AppTest:
    """An AppTest of one page file (the store comes from ``NETMAP_STORE``)."""
    return AppTest.from_file(str(PAGES[name]), default_timeout=TIMEOUT)


def app_test() -> AppTest:
    """An AppTest of the whole app (``app.py`` with its navigation)."""
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT)


def add_hostile_institution(store: GraphStore, partner: str = "gr-athens-ekka") -> None:
    """Add an institution whose names are HTML, tied to ``partner``."""
    store.add(
        Institution(
            id=HOSTILE_ID,
            name=HOSTILE_NAME,
            name_local=HOSTILE_LOCAL_NAME,
            acronym="<b>X</b>",
            sector="civil_society",
            kind="ngo",
            country="GR",
            city="Athens",
            notes="<script>alert(3)</script>",
        )
    )
    store.add(
        Tie(
            id="t-hostile",
            source_id=HOSTILE_ID,
            target_id=partner,
            kind="referral",
            notes='<a href="javascript:alert(4)">see href</a>',
        )
    )


def assert_clean(at: AppTest) -> None:
    """The run raised nothing and showed no error."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def texts(at: AppTest) -> str:
    """Every text a user can read on the page (markdown, captions, alerts, titles…)."""
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "text",
        "code",
        "info",
        "success",
        "warning",
        "error",
        "exception",
    ):
        parts += [str(element.value) for element in at.get(kind)]
    for element in at.get("metric"):
        parts.append(f"{element.label} {element.value}")
    return "\n".join(parts)


def chart_texts(at: AppTest) -> str:
    """The words of the page's charts: titles in their specs, and the text cells of the
    data they draw (axis labels come from those)."""
    import pyarrow as pa

    parts = []
    for chart in at.get("vega_lite_chart"):
        parts += re.findall(r'"title": "((?:[^"\\]|\\.)*)"', chart.proto.spec)
        for dataset in [chart.proto.data, *(d.data for d in chart.proto.datasets)]:
            if not dataset.data:
                continue
            table = pa.ipc.open_stream(dataset.data).read_all()
            for column in table.columns:
                if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
                    parts += [v for v in column.to_pylist() if isinstance(v, str)]
    return "\n".join(json.loads(f'"{p}"') if "\\" in p else p for p in parts)


def graph_data(at: AppTest) -> list[dict]:
    """The data each live graph on the page was sent (the Network page's components v2
    graph): nodes, edges, legend, selection, as JSON."""
    return [json.loads(element.proto.json) for element in at.get("bidi_component")]


def frames(at: AppTest) -> list:
    """The tables (pandas DataFrames) shown on the page."""
    return [element.value for element in at.dataframe]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_served(
    log: Path, environment: dict[str, str], *options: str, serve_options: tuple[str, ...] = ()
) -> tuple[subprocess.Popen, str, list[str]]:
    """Run ``python -m netmap [options] serve [serve_options] --no-open`` on a free port
    until it says it is ready; return the process, the app's loopback address and what it
    said."""
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "netmap",
                *options,
                "serve",
                *serve_options,
                "--no-open",
                "--port",
                str(port),
            ],
            env={**environment, "PYTHONUNBUFFERED": "1"},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + TIMEOUT
    while process.poll() is None and time.monotonic() < deadline:
        said = [line for line in log.read_text(encoding="utf-8").splitlines() if line]
        if any(line.startswith("netmap is ready at") for line in said):
            return process, f"http://127.0.0.1:{port}", said
        time.sleep(0.2)
    stop_served(process)
    raise AssertionError("netmap serve did not get ready:\n" + log.read_text(encoding="utf-8"))


def stop_served(process: subprocess.Popen) -> None:
    """Stop a server (``netmap serve``, ``streamlit run``) as a service manager would:
    SIGTERM, then SIGKILL if it has not stopped after 20 s."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
