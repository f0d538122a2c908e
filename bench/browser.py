"""Time the app's Network page in a real browser, on a store of any size.

    python bench/browser.py --store bench/data/100000-s1.db --shot /tmp/network.png
    python bench/browser.py --institutions 10000          # imports the synthetic network

Starts ``netmap serve`` on a loopback port against the store, as a user would, and waits
until it says it is ready (it has prepared the first page). Then opens the Network page
in Debian's Chromium (Playwright) and prints, in seconds: how long serve took to get
ready, the first visit, the later visits (median), and the first visit after one
institution is edited (every cache is rebuilt), each until the graph has been drawn in
its frame; and the peak memory of the Streamlit server. Then waits until the server has
prepared the other pages in the background (it is idle again) and times the first visit
of the Directory, Find a contact and Gaps pages, and the server's peak memory after.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
APP = HERE.parent / "app.py"
CHROMIUM = "/usr/bin/chromium"
GRAPH = "iframe[title^='Graph of']"


def serve(store_url: str, log: Path) -> tuple[subprocess.Popen, str, float]:
    """Start ``netmap serve`` as a user would; return it, its address, and the seconds it
    took to say it is ready (it prepares the first page before that)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.perf_counter()
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "netmap", "--store", store_url, "serve", "--no-open",
                "--host", "127.0.0.1", "--port", str(port),
            ],
            env={**os.environ, "NETMAP_ROLE": "viewer", "PYTHONUNBUFFERED": "1"},
            stdout=output,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and process.poll() is None:
        said = [line for line in log.read_text().splitlines() if line.startswith("netmap")]
        if said and said[-1] != said[0]:  # the line after "netmap is starting…"
            if not said[-1].startswith("netmap is ready"):
                break
            return process, f"http://127.0.0.1:{port}", time.perf_counter() - started
        time.sleep(0.1)
    process.kill()
    raise SystemExit("netmap serve did not get ready:\n" + log.read_text())


def visit(page, url: str) -> float:
    """Open the Network page; return the seconds until its graph is drawn."""
    start = time.perf_counter()
    page.goto(url)
    frame = page.wait_for_selector(GRAPH, timeout=600_000).content_frame()
    frame.wait_for_function("window.netmap && window.netmap.ready === true", timeout=600_000)
    return time.perf_counter() - start


def measure(store_url: str, visits: int, shot: Path | None) -> dict:
    from playwright.sync_api import sync_playwright

    from netmap.ui.cached import PREPARE_AFTER

    work = Path(tempfile.mkdtemp(prefix="netmap-browser-"))
    process, url, ready = serve(store_url, work / "serve.log")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            first = visit(page, url)
            later = [visit(page, url) for _ in range(visits)]
            edit_one_institution(store_url)
            after_write = visit(page, url)
            nodes = (
                page.wait_for_selector(GRAPH)
                .content_frame()
                .evaluate("network.body.data.nodes.length")
            )
            if shot:
                page.screenshot(path=str(shot), full_page=True)
            server_peak_mb = _peak_mb(_streamlit_pid(process.pid))
            time.sleep(PREPARE_AFTER)  # the server waits this long after the last change
            prepared_s = PREPARE_AFTER + wait_until_idle(_streamlit_pid(process.pid))
            other_pages = {name: visit_page(page, url, name) for name in OTHER_PAGES}
            browser.close()
        prepared_peak_mb = _peak_mb(_streamlit_pid(process.pid))
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {
        "ready_s": ready,
        "first_s": first,
        "later_s": statistics.median(later),
        "after_write_s": after_write,
        "nodes": nodes,
        "server_peak_mb": server_peak_mb,
        "prepared_s": prepared_s,
        "other_pages_s": other_pages,
        "prepared_peak_mb": prepared_peak_mb,
    }


#: The pages that need the whole network, which the server prepares in the background
#: once the network has not changed for a while; what each shows when it is ready.
OTHER_PAGES = {
    "directory": "[data-testid='stDataFrame']",
    "finder": "h1:has-text('Find a contact')",
    "gaps": "[data-testid='stTabs']",
}


def visit_page(page, url: str, name: str) -> float:
    """Open one of :data:`OTHER_PAGES`; the seconds until it shows and has stopped running."""
    start = time.perf_counter()
    page.goto(f"{url}/{name}")
    page.wait_for_selector(OTHER_PAGES[name], timeout=600_000)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="hidden", timeout=600_000)
    return time.perf_counter() - start


def wait_until_idle(pid: int, quiet: float = 3.0) -> float:
    """Wait until the server has used no CPU for ``quiet`` seconds (its background
    preparation is done); return the seconds waited."""
    start = time.perf_counter()
    last, still_since = _cpu_ticks(pid), time.perf_counter()
    while time.perf_counter() - still_since < quiet and time.perf_counter() - start < 900:
        time.sleep(0.5)
        now = _cpu_ticks(pid)
        if now - last > 5:  # more than 0.05 s of CPU in half a second: still working
            still_since = time.perf_counter()
        last = now
    return time.perf_counter() - start


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def edit_one_institution(store_url: str) -> None:
    """Change one institution's notes, as an editor would: every cache has to be rebuilt."""
    from netmap.model import RecordKind
    from netmap.store import open_store

    store = open_store(store_url)
    first_id = store.outline().institutions["id"].iloc[0]
    record = store.get(RecordKind.INSTITUTION, first_id)
    store.update(record.model_copy(update={"notes": f"checked {time.time():.0f}"}))


def _streamlit_pid(serve_pid: int) -> int:
    """The Streamlit server that ``netmap serve`` started (Linux), or ``serve_pid``."""
    try:
        children = Path(f"/proc/{serve_pid}/task/{serve_pid}/children").read_text().split()
    except OSError:
        return serve_pid
    return int(children[0]) if children else serve_pid


def _peak_mb(pid: int) -> float | None:
    """The peak resident memory of a process (Linux), in MB; None where unknown."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="a SQLite store to open (copied first)")
    parser.add_argument("--institutions", type=int, help="or: import a synthetic network")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--visits", type=int, default=3)
    parser.add_argument("--shot", type=Path, help="save a screenshot of the page here")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="netmap-browser-store-"))
    path = work / "netmap.db"
    if args.store:
        shutil.copyfile(args.store, path)  # the app may add its tables: keep the original
    elif args.institutions:
        sys.path.insert(0, str(HERE))
        from run import network_folder

        from netmap.io import import_into
        from netmap.store import SQLiteStore

        import_into(SQLiteStore(path), network_folder(args.institutions, args.seed))
    else:
        parser.error("give --store or --institutions")
    figures = measure(f"sqlite:///{path}", args.visits, args.shot)
    print(
        f"netmap serve ready in {figures['ready_s']:.1f} s; "
        f"Network page: first visit {figures['first_s']:.1f} s, later visits "
        f"{figures['later_s']:.1f} s (median), first after a write "
        f"{figures['after_write_s']:.1f} s, {figures['nodes']:,} nodes drawn; the server's "
        f"peak memory {figures['server_peak_mb'] or 0:,.0f} MB. Once the other pages were "
        f"prepared ({figures['prepared_s']:.0f} s later): "
        + ", ".join(f"{name} {s:.1f} s" for name, s in figures["other_pages_s"].items())
        + f"; the server's peak memory {figures['prepared_peak_mb'] or 0:,.0f} MB"
    )
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
