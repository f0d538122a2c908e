"""Measure netmap at several sizes and print (or record) the figures beside plain references.

    python bench/run.py --sizes 1000,10000           # print a table
    python bench/run.py --sizes 1000,10000,100000 --write bench/RESULTS.md

Each size runs in a process of its own, so its peak memory is its own. Networks come
from bench/generate.py (cached under bench/data/). Beside each figure stands a reference
measured in the same run: the same rows inserted with plain ``executemany``, the same
graph built with ``pandas.read_sql`` + ``networkx.from_pandas_edgelist``, the same
metrics called in networkx directly. Timings are wall-clock seconds on whatever else the
machine is doing: run on a quiet machine.
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import platform
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))

from generate import generate

#: Rows per UNWIND statement tried for the Neo4j import; the fastest is kept.
NEO4J_BATCH_SIZES = (500, 1000, 5000, 20000)
#: The Neo4j server's page cache in the benchmarks (its heap is --neo4j-heap).
NEO4J_PAGECACHE = "2g"
#: The batch size used where no sweep ran (the store's default).
DEFAULT_BATCH = 1000
#: Records per transaction where a network is loaded into Neo4j in parts.
PART_ROWS = 100_000


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


class Peaks:
    """The peak memory of each part of a run, step by step.

    Linux keeps a process's peak resident memory (VmHWM) and lets the process reset it, so
    each step's peak is its own. Elsewhere, every step reports the process's peak so far.
    """

    def __init__(self) -> None:
        self.by_part: dict[str, float] = {}

    def measure(self, part: str, function, *args, **kwargs):
        """``timed(function, …)``, with the peak memory while it ran added to ``part``."""
        try:
            Path("/proc/self/clear_refs").write_text("5")
        except OSError:
            pass
        result, seconds = timed(function, *args, **kwargs)
        self.by_part[part] = max(self.by_part.get(part, 0.0), _peak_mb())
        return result, seconds


def _peak_mb() -> float:
    """The peak resident memory since the last reset (or since the start), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": 1000 * statistics.median(ordered),
        "p95_ms": 1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
    }


def network_folder(size: int, seed: int) -> Path:
    folder = HERE / "data" / f"{size}-s{seed}"
    if not (folder / "ties.csv").exists():
        generate(size, seed, folder)
    return folder


def plain_executemany(folder: Path, path: Path) -> tuple[int, float]:
    """The reference import: the CSV rows inserted as they are, no validation, one transaction."""
    from netmap.store import SQLiteStore

    SQLiteStore(path)  # the same schema, indexes and foreign keys
    connection = sqlite3.connect(path, isolation_level=None)
    rows = 0
    start = time.perf_counter()
    connection.execute("BEGIN")
    for table in ("cities", "institutions", "initiatives", "contacts", "ties", "participations"):
        with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            values = list(reader)
        if table == "cities":
            header = ["id", *header]
            values = [[f"{r[2].lower()}-{r[0].lower()}", *r] for r in values]
        if table == "participations":
            header = ["id", *header]
            values = [[f"{r[0]}@{r[1]}", *r] for r in values]
        marks = ",".join("?" * len(header))
        connection.executemany(f"INSERT INTO {table} ({','.join(header)}) VALUES ({marks})", values)
        rows += len(values)
    connection.execute("COMMIT")
    return rows, time.perf_counter() - start


def reference_graph(path: Path):
    import networkx as nx
    import pandas as pd

    with sqlite3.connect(path) as connection:
        institutions = pd.read_sql("SELECT * FROM institutions", connection)
        ties = pd.read_sql("SELECT * FROM ties", connection)
    graph = nx.from_pandas_edgelist(
        ties,
        "source_id",
        "target_id",
        edge_attr=True,
        edge_key="id",
        create_using=nx.MultiGraph,
    )
    graph.add_nodes_from(institutions.set_index("id").to_dict("index").items())
    return graph


def reference_metrics(multigraph, simple, k: int | None, seed: int = 42) -> dict[str, float]:
    """The metrics netmap computes, each called in networkx directly on the same graph;
    the seconds of each, keyed as netmap's own steps (``METRIC_STEPS``)."""
    import networkx as nx

    calls = {
        "pairs": lambda: nx.Graph(multigraph),
        "betweenness": lambda: nx.betweenness_centrality(simple, k=k, seed=seed),
        "pagerank": lambda: nx.pagerank(simple),
        "cores": lambda: nx.core_number(simple),
        "communities": lambda: nx.community.louvain_communities(simple, seed=seed),
        "cut_points": lambda: (list(nx.articulation_points(simple)), list(nx.bridges(simple))),
    }
    return {step: timed(call)[1] for step, call in calls.items()}


class StepTimes:
    """The seconds each step of ``metrics`` took, from its progress reports."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self._current: tuple[str, float] | None = None

    def heard(self, done: int, total: int, step: str) -> None:
        now = time.perf_counter()
        if self._current is not None:
            self.seconds[self._current[0]] = now - self._current[1]
        self._current = (step, now) if step else None


def measure(size: int, seed: int, queries: int) -> dict:
    """Every figure for one size (runs in its own process)."""
    from netmap.analysis.gaps import GapIndex, gaps
    from netmap.analysis.metrics import metrics
    from netmap.graph import cooperation_graph
    from netmap.search_index import SearchIndex
    from netmap.store import SQLiteStore

    figures: dict = {"institutions": size}
    _, figures["generate_s"] = timed(network_folder, size, seed)
    work = Path(tempfile.mkdtemp(prefix="netmap-bench-"))
    # The import runs in a process of its own: memory it freed would otherwise still count
    # as resident in the steps after it (an app server rarely imports a million rows).
    done = subprocess.run(
        [sys.executable, __file__, "--import-to", str(work / "netmap.db"), "--one", str(size)]
        + ["--seed", str(seed)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures.update(json.loads(done.stdout.strip().splitlines()[-1]))
    peaks = Peaks()
    ours = functools.partial(peaks.measure, "netmap")

    store = SQLiteStore(work / "netmap.db", actor="bench")
    reads, network, graph = measure_reads(store, seed, queries, ours)
    figures.update(reads)
    figures["ties"] = graph.number_of_edges()

    steps = StepTimes()
    result, figures["metrics_s"] = ours(metrics, graph, progress=steps.heard)
    figures["metric_steps_s"] = steps.seconds
    figures["betweenness_note"] = result.betweenness_note

    _, figures["gaps_all_s"] = ours(gaps, network)
    gap_index, figures["gaps_index_s"] = ours(GapIndex.build, network)
    country, city = _biggest_city(network)
    _, figures["gaps_city_indexed_s"] = ours(
        gaps, network, city=city, country=country, index=gap_index
    )

    rng = random.Random(seed)
    search_index, figures["search_index_s"] = ours(SearchIndex.build, network)
    names = list(network.institutions["name"]) + list(network.institutions["name_local"])
    samples = []
    for _ in range(queries):
        words = rng.choice(names).split()
        text = " ".join(words[1:3]) if len(words) > 2 else words[0]
        if rng.random() < 0.5 and len(text) > 4:  # a typo
            spot = rng.randrange(len(text))
            text = text[:spot] + text[spot + 1 :]
        _, seconds = ours(search_index.search, text)
        samples.append(seconds)
    figures["search"] = percentiles(samples)

    drawings, _ = ours(_drawings, network, graph)
    figures.update(drawings)
    figures["netmap_peak_mb"] = peaks.by_part["netmap"]

    # The references last, so that what they free does not count in netmap's figures.
    _, figures["snapshot_graph_ref_s"] = timed(reference_graph, work / "netmap.db")
    simple = cooperation_graph(graph)  # the metrics' own input, built the same way
    k = None if result.betweenness_exact else _sample_size(result.betweenness_note)
    figures["metric_steps_ref_s"] = reference_metrics(graph, simple, k)
    figures["metrics_ref_s"] = sum(figures["metric_steps_ref_s"].values())
    figures["store_path"] = str(work / "netmap.db")
    return figures


def _biggest_city(network) -> tuple[str, str]:
    """The (country, city) with the most institutions: the gaps of one city are asked of it."""
    cities = network.institutions.groupby(["country", "city"]).size().sort_values()
    return cities.index[-1]


def measure_reads(store, seed: int, queries: int, ours) -> tuple[dict, object, object]:
    """The figures both stores are measured on alike, reading ``store`` in this process:
    the outline, the snapshot and its graph, one city's gaps, the finder (its index, then
    ``queries`` questions) and saving an edit. Returns them with the snapshot and graph,
    for the steps that follow. ``ours`` times a call and keeps its peak memory."""
    from netmap.analysis.finder import FinderIndex, find_contacts
    from netmap.analysis.gaps import gaps
    from netmap.graph import institution_graph

    figures: dict = {}
    outline, figures["outline_s"] = ours(store.outline)
    del outline
    network, snapshot_s = ours(store.snapshot)
    graph, graph_s = ours(institution_graph, network)
    figures.update(snapshot_s=snapshot_s, graph_s=graph_s, snapshot_graph_s=snapshot_s + graph_s)

    country, city = _biggest_city(network)
    _, figures["gaps_city_s"] = ours(gaps, network, city=city, country=country)

    rng = random.Random(seed)
    ids = list(network.institutions["id"])
    countries = sorted(set(network.institutions["country"]))
    services = ["shelter", "repatriation", "legal_aid", "psychosocial", "medical"]
    index, figures["finder_index_s"] = ours(FinderIndex.build, network, graph)
    samples = []
    for _ in range(queries):
        _, seconds = ours(
            find_contacts,
            network,
            rng.choice(ids),
            rng.choice(countries),
            service=rng.choice(services),
            index=index,
        )
        samples.append(seconds)
    figures["finder"] = percentiles(samples)
    figures["edit"] = _edit_latency(store, network, queries)
    figures["store_search"] = _store_search_latency(store, network, seed, queries, ours)
    return figures, network, graph


def _store_search_latency(store, network, seed: int, queries: int, ours) -> dict[str, float]:
    """Milliseconds per search through the store's search table (``search_store``: the
    vocabulary, then the records the query's words match), as ``netmap search`` asks."""
    from netmap.search_index import search_store

    rng = random.Random(seed)
    names = list(network.institutions["name"])
    samples = []
    for _ in range(queries):
        words = rng.choice(names).split()
        _, seconds = ours(search_store, store, " ".join(words[:2]))
        samples.append(seconds)
    return percentiles(samples)


def measure_import(size: int, seed: int, path: Path) -> dict:
    """Import the network of ``size`` into a new store at ``path``; the import's figures."""
    from netmap.io import import_into
    from netmap.store import SQLiteStore

    folder = network_folder(size, seed)
    store = SQLiteStore(path, actor="bench")
    report, seconds = timed(import_into, store, folder)
    rows = sum(len(items) for items in report.batch.records.values())
    peak = _peak_mb()
    reference = path.with_name("reference.db")
    ref_rows, ref_seconds = plain_executemany(folder, reference)
    reference.unlink()
    return {
        "rows": rows,
        "import_s": seconds,
        "import_rows_per_s": rows / seconds,
        "import_peak_mb": peak,
        "import_ref_s": ref_seconds,
        "import_ref_rows_per_s": ref_rows / ref_seconds,
    }


def _edit_latency(store, network, queries: int) -> dict[str, float]:
    """Milliseconds to save one edited institution (read it, change its notes, update)."""
    from netmap.model import RecordKind

    rng = random.Random(7)
    ids = list(network.institutions["id"])
    samples = []
    for number in range(min(queries, 50)):
        record = store.get(RecordKind.INSTITUTION, rng.choice(ids))
        edited = record.model_copy(update={"notes": f"bench edit {number}"})
        _, seconds = timed(store.update, edited)
        samples.append(seconds)
    return percentiles(samples)


def measure_neo4j_import(url: str, size: int, seed: int, batch_size: int) -> dict:
    """Import the network of ``size`` into the Neo4j store at ``url`` (in a process of its
    own, for its peak memory); the import's figures."""
    from netmap.io import import_into
    from netmap.store.neo4j import Neo4jStore

    folder = network_folder(size, seed)
    store = Neo4jStore.from_url(url, actor="bench", batch_size=batch_size)
    checked = {}
    report, seconds = timed(
        import_into,
        store,
        folder,
        on_report=lambda _: checked.setdefault("at", time.perf_counter()),
    )
    write_s = time.perf_counter() - checked["at"]
    rows = sum(len(items) for items in report.batch.records.values())
    statements = sum(Neo4jStore.statements_run.values())
    store.close()
    return {
        "rows": rows,
        "import_s": seconds,
        "write_s": write_s,
        "import_peak_mb": _peak_mb(),
        "statements": statements,
    }


def _warm_up(server) -> None:
    """Import the demo network and erase it: a long-running server has planned and
    compiled netmap's statements long ago; a new one would count that in the first write."""
    from netmap.io import import_into
    from netmap.resources import data_file
    from netmap.store.neo4j import Neo4jStore

    store = Neo4jStore.from_url(server.uri, actor="bench")
    import_into(store, data_file("demo"))
    store.erase_everything()
    store.close()


def _import_into_server(server, size: int, seed: int, batch_size: int) -> dict:
    _warm_up(server)
    server.reset_peak()
    done = subprocess.run(
        [sys.executable, __file__, "--neo4j-import", server.uri, "--one", str(size)]
        + ["--seed", str(seed), "--batch-size", str(batch_size)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["server_peak_mb_import"] = server.peak_rss_mb()
    return figures


def measure_neo4j(
    size: int,
    seed: int,
    queries: int,
    sqlite_path: Path,
    heap: str,
    batch_sizes: tuple[int, ...] = NEO4J_BATCH_SIZES,
    part_rows: int = 0,
) -> dict:
    """Every Neo4j figure for one size, on servers of its own (tests/neo4j-server/start).

    Each batch size imports into a new, empty server; the fastest is kept. Then a new
    server receives the SQLite store by ``sync`` (at that batch size), and the steps after
    it read from there; last, ``sync`` copies the server back into a new SQLite file.
    With ``part_rows`` (a network too big for one transaction on this server) the sweep is
    skipped and the server is loaded in parts of that many records, each its own
    transaction, so that the steps after the import can still be measured.
    """
    from neo4j_server import Neo4jServer

    from netmap.store import SQLiteStore
    from netmap.store.neo4j import Neo4jStore
    from netmap.sync import sync

    settings = {
        "server.memory.pagecache.size": NEO4J_PAGECACHE,
        # One transaction holds a whole import: let it use the heap (the default keeps
        # 30% of it back), and fail on a real shortage rather than a guessed limit.
        "db.memory.transaction.total.max": "0",
    }
    figures: dict = {"neo4j_heap": heap, "neo4j_pagecache": NEO4J_PAGECACHE}
    by_batch = {}
    server_peak = 0.0
    for batch_size in () if part_rows else batch_sizes:
        server = Neo4jServer(heap=heap, settings=settings)
        try:
            server.start()
            by_batch[batch_size] = _import_into_server(server, size, seed, batch_size)
            server_peak = max(server_peak, server.peak_rss_mb())
        except subprocess.CalledProcessError as failed:
            # Recorded, not raised: a size whose one-transaction import does not fit the
            # server is a finding (the table says so), not the end of the run.
            said = (failed.stderr or "").strip().splitlines()
            by_batch[batch_size] = {"error": said[-1] if said else str(failed)}
        finally:
            server.stop()
            shutil.rmtree(server.home, ignore_errors=True)
        print(f"  neo4j import, batch {batch_size}: {by_batch[batch_size]}", file=sys.stderr)
    figures["neo4j_import_by_batch"] = {str(b): f for b, f in by_batch.items()}
    landed = [b for b in by_batch if "error" not in by_batch[b]]
    if not landed and not part_rows:
        figures["neo4j_error"] = by_batch[batch_sizes[-1]]["error"]
        figures["neo4j_server_peak_mb"] = server_peak
        return figures
    best = min(landed, key=lambda b: by_batch[b]["import_s"]) if landed else DEFAULT_BATCH
    figures["neo4j_best_batch"] = best
    if landed:
        figures.update({f"neo4j_{k}": v for k, v in by_batch[best].items()})

    server = Neo4jServer(heap=heap, settings=settings)
    peaks = Peaks()
    ours = functools.partial(peaks.measure, "netmap")
    try:
        server.start()
        _warm_up(server)
        store = Neo4jStore.from_url(server.uri, actor="bench", batch_size=best)
        source = SQLiteStore(sqlite_path, actor="bench")
        server.reset_peak()
        if part_rows:
            _, figures["neo4j_parts_load_s"] = ours(_write_in_parts, source, store, part_rows)
            figures["neo4j_part_rows"] = part_rows
            figures["neo4j_parts_load_server_peak_mb"] = server.peak_rss_mb()
            figures["neo4j_parts_load_peak_mb"] = peaks.by_part.pop("netmap")
            server.reset_peak()
            # The network is there already: a sync finds nothing to copy, after reading
            # both stores whole and comparing every record.
            _, figures["neo4j_resync_s"] = ours(sync, source, store)
            peaks.by_part.pop("netmap")
        else:
            _, figures["neo4j_sync_in_s"] = ours(sync, source, store)
            figures["neo4j_sync_in_server_peak_mb"] = server.peak_rss_mb()
            figures["neo4j_sync_in_peak_mb"] = peaks.by_part.pop("netmap")

        server.reset_peak()
        reads, network, graph = measure_reads(store, seed, queries, ours)
        figures.update({f"neo4j_{name}": value for name, value in reads.items()})
        del network, graph

        copy = sqlite_path.with_name("from-neo4j.db")
        _, figures["neo4j_sync_out_s"] = ours(sync, store, SQLiteStore(copy, actor="bench"))
        copy.unlink()
        figures["neo4j_netmap_peak_mb"] = peaks.by_part["netmap"]
        figures["neo4j_server_peak_mb"] = max(
            server_peak,
            server.peak_rss_mb(),
            figures.get("neo4j_parts_load_server_peak_mb", 0.0),
            figures.get("neo4j_sync_in_server_peak_mb", 0.0),
        )
        store.close()
    finally:
        server.stop()
        shutil.rmtree(server.home, ignore_errors=True)
    return figures


def _write_in_parts(source, target, part_rows: int) -> int:
    """Copy ``source`` into ``target`` in parts of ``part_rows`` records, kind by kind
    (references first), each part its own transaction; return the number of parts."""
    from netmap.model import RECORD_KINDS
    from netmap.store.base import RecordSet

    batch = source.snapshot().record_set()
    parts = 0
    for kind in RECORD_KINDS:
        records = batch.records[kind]
        for start in range(0, len(records), part_rows):
            part = RecordSet()
            part[kind] = records[start : start + part_rows]
            target.write(part)
            parts += 1
    return parts


def measure_pair(
    size: int, seed: int, queries: int, heap: str, batch_sizes: tuple[int, ...], part_rows: int
) -> dict:
    """SQLite and Neo4j side by side on the steps a shared server changes: the import,
    the snapshot and graph, the contact finder, one city's gaps, an edit, sync both ways."""
    from netmap.store import SQLiteStore

    figures: dict = {"institutions": size}
    network_folder(size, seed)
    work = Path(tempfile.mkdtemp(prefix="netmap-bench-"))
    done = subprocess.run(
        [sys.executable, __file__, "--import-to", str(work / "netmap.db"), "--one", str(size)]
        + ["--seed", str(seed)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures.update(json.loads(done.stdout.strip().splitlines()[-1]))
    store = SQLiteStore(work / "netmap.db", actor="bench")
    peaks = Peaks()
    ours = functools.partial(peaks.measure, "netmap")
    reads, network, graph = measure_reads(store, seed, queries, ours)
    figures.update(reads)
    figures["netmap_peak_mb"] = peaks.by_part["netmap"]
    del network, graph
    store.close()
    done = subprocess.run(
        [sys.executable, __file__, "--one", str(size), "--seed", str(seed)]
        + ["--queries", str(queries), "--neo4j-measure", str(work / "netmap.db")]
        + ["--neo4j-heap", heap, "--neo4j-batch-sizes", ",".join(map(str, batch_sizes))]
        + ["--neo4j-part-rows", str(part_rows)],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    figures.update(json.loads(done.stdout.strip().splitlines()[-1]))
    shutil.rmtree(work, ignore_errors=True)
    return figures


def _sample_size(note: str) -> int | None:
    digits = [int(word) for word in note.replace(",", "").split() if word.isdigit()]
    return min(digits) if digits else None


def _drawings(network, graph) -> dict:
    """Build the HTML the app's Network page would show, and the ego view of the hub."""
    from netmap import viz
    from netmap.graph import place_graph

    figures = {}
    count = graph.number_of_nodes()
    mode = viz.mode_for(count)
    if mode == "places":
        places = place_graph(network, "city")
        drawing, seconds = timed(viz.place_drawing, places, "city")
    else:
        drawing, seconds = timed(viz.institution_drawing, graph)
    html, render_s = timed(viz.render_html, drawing)
    figures["view_mode"] = mode
    figures["view_html_s"] = seconds + render_s
    figures["view_html_mb"] = len(html.encode("utf-8")) / 2**20
    hub = max(graph.degree, key=lambda pair: pair[1])[0]
    from netmap.graph import ego_network

    ego = ego_network(graph, hub, 1)
    drawing, seconds = timed(viz.institution_drawing, ego, center=hub)
    html, render_s = timed(viz.render_html, drawing)
    figures["ego_nodes"] = ego.number_of_nodes()
    figures["ego_html_s"] = seconds + render_s
    return figures


#: The rows of the metrics' steps, as the table names them.
METRIC_STEP_ROWS = {
    "pairs": "pairs of partners (reference: nx.Graph of the multigraph)",
    "betweenness": "betweenness",
    "pagerank": "PageRank",
    "cores": "cores",
    "communities": "communities (Louvain)",
    "cut_points": "articulation points and bridges",
    "brokers": "brokers (netmap only)",
    "tables": "tables (netmap only)",
}

ROWS = [
    ("rows imported", lambda f: f"{f['rows']:,}", lambda f: ""),
    ("import (s)", lambda f: f"{f['import_s']:.1f}", lambda f: f"{f['import_ref_s']:.1f}"),
    (
        "import (rows/s)",
        lambda f: f"{f['import_rows_per_s']:,.0f}",
        lambda f: f"{f['import_ref_rows_per_s']:,.0f}",
    ),
    ("outline read, for the Network page (s)", lambda f: f"{f['outline_s']:.2f}", lambda f: ""),
    (
        "snapshot -> graph (s)",
        lambda f: f"{f['snapshot_graph_s']:.2f}",
        lambda f: f"{f['snapshot_graph_ref_s']:.2f}",
    ),
    ("metrics, all (s)", lambda f: f"{f['metrics_s']:.1f}", lambda f: f"{f['metrics_ref_s']:.1f}"),
    *(
        (
            f"- {label} (s)",
            lambda f, step=step: f"{f['metric_steps_s'][step]:.2f}",
            lambda f, step=step: (
                f"{f['metric_steps_ref_s'][step]:.2f}" if step in f["metric_steps_ref_s"] else ""
            ),
        )
        for step, label in METRIC_STEP_ROWS.items()
    ),
    ("gaps, largest city (s)", lambda f: f"{f['gaps_city_s']:.2f}", lambda f: ""),
    ("gaps, whole network (s)", lambda f: f"{f['gaps_all_s']:.1f}", lambda f: ""),
    ("gap index build (s)", lambda f: f"{f['gaps_index_s']:.1f}", lambda f: ""),
    (
        "gaps, largest city, with index (s)",
        lambda f: f"{f['gaps_city_indexed_s']:.2f}",
        lambda f: "",
    ),
    ("contact finder index (s)", lambda f: f"{f['finder_index_s']:.1f}", lambda f: ""),
    (
        "contact finder p50 / p95 (ms)",
        lambda f: f"{f['finder']['p50_ms']:.0f} / {f['finder']['p95_ms']:.0f}",
        lambda f: "",
    ),
    ("search index build (s)", lambda f: f"{f['search_index_s']:.1f}", lambda f: ""),
    (
        "search p50 / p95 (ms)",
        lambda f: f"{f['search']['p50_ms']:.1f} / {f['search']['p95_ms']:.1f}",
        lambda f: "",
    ),
    (
        "Network page view",
        lambda f: f"{f['view_mode']}: {f['view_html_s']:.2f} s, {f['view_html_mb']:.1f} MB",
        lambda f: "",
    ),
    (
        "ego view of the hub",
        lambda f: f"{f['ego_nodes']} nodes: {f['ego_html_s']:.2f} s",
        lambda f: "",
    ),
    (
        "netmap serve, until ready (s)",
        lambda f: f"{f['ready_s']:.1f}" if "ready_s" in f else "not run",
        lambda f: "",
    ),
    (
        "Network page in Chromium: first / later visits / first after a write (s)",
        lambda f: (
            f"{f['first_s']:.1f} / {f['later_s']:.1f} / {f['after_write_s']:.1f}"
            if "first_s" in f
            else "not run"
        ),
        lambda f: "",
    ),
    (
        "Directory / Find a contact / Gaps in Chromium, first visit once prepared (s)",
        lambda f: (
            " / ".join(
                f"{f['other_pages_s'][name]:.1f}" for name in ("directory", "finder", "gaps")
            )
            if "other_pages_s" in f
            else "not run"
        ),
        lambda f: "",
    ),
    (
        "peak memory of the import (MB)",
        lambda f: f"{f['import_peak_mb']:,.0f}",
        lambda f: "",
    ),
    (
        "peak memory of the app serving the Network page (MB)",
        lambda f: f"{f['server_peak_mb']:,.0f}" if f.get("server_peak_mb") else "not run",
        lambda f: "",
    ),
    (
        "peak memory of the app, the other pages prepared and opened (MB)",
        lambda f: f"{f['prepared_peak_mb']:,.0f}" if f.get("prepared_peak_mb") else "not run",
        lambda f: "",
    ),
    (
        "peak memory of the steps after the import, all results held (MB)",
        lambda f: f"{f['netmap_peak_mb']:,.0f}",
        lambda f: "",
    ),
]


def table(results: list[dict]) -> str:
    header = (
        "| measure | "
        + " | ".join(f"{r['institutions']:,} netmap | reference" for r in results)
        + " |"
    )
    lines = [header, "| --- |" + " --- | --- |" * len(results)]
    for title, ours, reference in ROWS:
        cells = " | ".join(f"{ours(r)} | {reference(r)}" for r in results)
        lines.append(f"| {title} | {cells} |")
    notes = [f"- {r['institutions']:,}: {r['betweenness_note']}" for r in results]
    return "\n".join(lines) + "\n\nBetweenness:\n" + "\n".join(notes) + "\n"


NEO4J_ROWS = [
    (
        "import, best batch size (s)",
        lambda f: f"{f['import_s']:.1f}",
        lambda f: f"{f['neo4j_import_s']:.1f} (batch {f['neo4j_best_batch']:,})",
    ),
    *(
        (
            f"- import with {batch:,} rows per statement (s)",
            lambda f: "",
            lambda f, batch=batch: _batch_cell(f["neo4j_import_by_batch"][str(batch)]),
        )
        for batch in NEO4J_BATCH_SIZES
    ),
    (
        "- of which writing, best batch (s)",
        lambda f: "",
        lambda f: f"{f['neo4j_write_s']:.1f}",
    ),
    (
        "import (rows/s)",
        lambda f: f"{f['import_rows_per_s']:,.0f}",
        lambda f: f"{f['rows'] / f['neo4j_import_s']:,.0f}",
    ),
    (
        "peak memory of the import: netmap / the server's JVM (MB)",
        lambda f: f"{f['import_peak_mb']:,.0f} / –",
        lambda f: f"{f['neo4j_import_peak_mb']:,.0f} / {f['neo4j_server_peak_mb_import']:,.0f}",
    ),
    (
        "sync SQLite -> Neo4j, into an empty server (s)",
        lambda f: "",
        lambda f: f"{f['neo4j_sync_in_s']:.1f}",
    ),
    (
        "peak memory of that sync: netmap / the server's JVM (MB)",
        lambda f: "",
        lambda f: f"{f['neo4j_sync_in_peak_mb']:,.0f} / {f['neo4j_sync_in_server_peak_mb']:,.0f}",
    ),
    (
        "load in parts, each its own transaction (s), where one does not fit",
        lambda f: "",
        lambda f: (
            f"{f['neo4j_parts_load_s']:.1f} ({f['neo4j_part_rows']:,} records a part; "
            f"server {f['neo4j_parts_load_server_peak_mb']:,.0f} MB)"
        ),
    ),
    (
        "sync SQLite -> Neo4j again, nothing to copy (s)",
        lambda f: "",
        lambda f: f"{f['neo4j_resync_s']:.1f}",
    ),
    (
        "sync Neo4j -> SQLite, into a new file (s)",
        lambda f: "",
        lambda f: f"{f['neo4j_sync_out_s']:.1f}",
    ),
    (
        "outline read (s)",
        lambda f: f"{f['outline_s']:.2f}",
        lambda f: f"{f['neo4j_outline_s']:.2f}",
    ),
    (
        "snapshot -> graph (s)",
        lambda f: f"{f['snapshot_graph_s']:.2f}",
        lambda f: f"{f['neo4j_snapshot_graph_s']:.2f}",
    ),
    (
        "contact finder index (s)",
        lambda f: f"{f['finder_index_s']:.1f}",
        lambda f: f"{f['neo4j_finder_index_s']:.1f}",
    ),
    (
        "contact finder p50 / p95 (ms)",
        lambda f: f"{f['finder']['p50_ms']:.0f} / {f['finder']['p95_ms']:.0f}",
        lambda f: f"{f['neo4j_finder']['p50_ms']:.0f} / {f['neo4j_finder']['p95_ms']:.0f}",
    ),
    (
        "gaps, largest city (s)",
        lambda f: f"{f['gaps_city_s']:.2f}",
        lambda f: f"{f['neo4j_gaps_city_s']:.2f}",
    ),
    (
        "an edit: one institution read and saved, p50 / p95 (ms)",
        lambda f: f"{f['edit']['p50_ms']:.0f} / {f['edit']['p95_ms']:.0f}",
        lambda f: f"{f['neo4j_edit']['p50_ms']:.0f} / {f['neo4j_edit']['p95_ms']:.0f}",
    ),
    (
        "search through the store's search table, p50 / p95 (ms)",
        lambda f: f"{f['store_search']['p50_ms']:.0f} / {f['store_search']['p95_ms']:.0f}",
        lambda f: (
            f"{f['neo4j_store_search']['p50_ms']:.0f} / {f['neo4j_store_search']['p95_ms']:.0f}"
        ),
    ),
    (
        "peak memory of netmap after the import (MB)",
        lambda f: f"{f['netmap_peak_mb']:,.0f}",
        lambda f: f"{f['neo4j_netmap_peak_mb']:,.0f}",
    ),
    (
        "peak memory of the server's JVM, whole run (MB)",
        lambda f: "",
        lambda f: f"{f['neo4j_server_peak_mb']:,.0f}",
    ),
]


def _batch_cell(figures: dict) -> str:
    if "error" in figures:
        return "failed: " + figures["error"].replace("|", "/")[:160]
    return f"{figures['import_s']:.1f} (server {figures['server_peak_mb_import']:,.0f} MB)"


def _neo4j_cell(cell, figures: dict) -> str:
    """A Neo4j figure, or a dash where no import landed (the batch rows say why)."""
    try:
        return cell(figures)
    except KeyError:
        return "–"


def neo4j_table(results: list[dict]) -> str:
    """SQLite and Neo4j side by side, for the sizes measured on both."""
    both = [r for r in results if "neo4j_import_by_batch" in r]
    if not both:
        return ""
    header = (
        "| measure | " + " | ".join(f"{r['institutions']:,} SQLite | Neo4j" for r in both) + " |"
    )
    lines = [header, "| --- |" + " --- | --- |" * len(both)]
    for title, sqlite, neo4j in NEO4J_ROWS:
        cells = " | ".join(f"{sqlite(r)} | {_neo4j_cell(neo4j, r)}" for r in both)
        lines.append(f"| {title} | {cells} |")
    settings = {(r["neo4j_heap"], r["neo4j_pagecache"]) for r in both}
    return (
        "\n".join(lines)
        + "\n\nServer: Neo4j 5.26 Community (tests/neo4j-server/start), "
        + "; ".join(f"heap {h}, page cache {p}" for h, p in sorted(settings))
        + ".\n"
    )


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--write", type=Path, help="write the results as Markdown here")
    parser.add_argument(
        "--browser", action="store_true", help="also time the Network page in Chromium"
    )
    parser.add_argument(
        "--neo4j",
        action="store_true",
        help="also measure the Neo4j store, on servers started with tests/neo4j-server/start",
    )
    parser.add_argument(
        "--neo4j-heap", default="8g", help="the Neo4j server's JVM heap (default 8g)"
    )
    parser.add_argument(
        "--pair",
        action="store_true",
        help="only SQLite beside Neo4j on the steps a server changes (no metrics, no browser)",
    )
    parser.add_argument(
        "--neo4j-batch-sizes",
        default=",".join(map(str, NEO4J_BATCH_SIZES)),
        help="rows per UNWIND statement to try for the Neo4j import",
    )
    parser.add_argument(
        "--neo4j-parts-above",
        type=int,
        default=0,
        help="above this many institutions, load Neo4j in parts instead of one transaction",
    )
    parser.add_argument("--neo4j-part-rows", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--import-to", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--neo4j-import", help=argparse.SUPPRESS)
    parser.add_argument("--neo4j-measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--batch-size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one and args.import_to:
        print(json.dumps(measure_import(args.one, args.seed, args.import_to)))
        return 0
    if args.one and args.neo4j_import:
        figures = measure_neo4j_import(args.neo4j_import, args.one, args.seed, args.batch_size)
        print(json.dumps(figures))
        return 0
    batch_sizes = tuple(int(b) for b in args.neo4j_batch_sizes.split(",") if b)
    if args.one and args.neo4j_measure:
        figures = measure_neo4j(
            args.one,
            args.seed,
            args.queries,
            args.neo4j_measure,
            args.neo4j_heap,
            batch_sizes,
            args.neo4j_part_rows,
        )
        print(json.dumps(figures))
        return 0
    if args.pair:
        results = []
        for size in (int(s) for s in args.sizes.split(",")):
            print(f"measuring {size:,} institutions, SQLite and Neo4j …", file=sys.stderr)
            parts = PART_ROWS if args.neo4j_parts_above and size > args.neo4j_parts_above else 0
            figures = measure_pair(
                size, args.seed, args.queries, args.neo4j_heap, batch_sizes, parts
            )
            (HERE / "data" / f"pair-{size}.json").write_text(json.dumps(figures), "utf-8")
            results.append(figures)
        text = neo4j_table(results)
        print(text)
        if args.write:
            args.write.write_text(
                f"Measured {date.today()} on {machine()}, with `python bench/run.py --pair "
                f"--sizes {args.sizes} --seed {args.seed} --queries {args.queries} "
                f"--neo4j-heap {args.neo4j_heap} --neo4j-parts-above "
                f"{args.neo4j_parts_above}`.\n\n{text}",
                encoding="utf-8",
            )
        return 0
    if args.one:
        print(json.dumps(measure(args.one, args.seed, args.queries)))
        return 0
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"measuring {size:,} institutions …", file=sys.stderr, flush=True)
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                str(size),
                "--seed",
                str(args.seed),
                "--queries",
                str(args.queries),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        store = Path(figures["store_path"])
        if args.neo4j:
            print(f"measuring {size:,} institutions on Neo4j …", file=sys.stderr, flush=True)
            done = subprocess.run(
                [sys.executable, __file__, "--one", str(size), "--seed", str(args.seed)]
                + ["--queries", str(args.queries), "--neo4j-measure", str(store)]
                + ["--neo4j-heap", args.neo4j_heap],
                check=True,
                stdout=subprocess.PIPE,
                text=True,
            )
            figures.update(json.loads(done.stdout.strip().splitlines()[-1]))
        # Each size's figures as they come: a later size that fails keeps the earlier ones.
        (HERE / "data" / f"results-{size}.json").write_text(json.dumps(figures), "utf-8")
        if args.browser:
            import browser

            figures.update(browser.measure(f"sqlite:///{store}", visits=3, shot=None))
        shutil.rmtree(store.parent, ignore_errors=True)
        results.append(figures)
    text = table(results)
    if args.neo4j:
        text += "\n## Neo4j beside SQLite\n\n" + neo4j_table(results)
    print(text)
    if args.write:
        args.write.write_text(
            f"# Benchmark results\n\nMeasured {date.today()} on {machine()}, with "
            f"`python bench/run.py --sizes {args.sizes} --seed {args.seed} "
            f"--queries {args.queries}{' --browser' * args.browser}"
            f"{f' --neo4j --neo4j-heap {args.neo4j_heap}' * args.neo4j}`.\n\n{text}",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
