"""The graph work of ``netmap metrics`` beside the fastest libraries, on the same graphs.

    python bench/graphs.py --sizes 1000,10000,100000
    python bench/graphs.py --sizes 1000,10000,100000 --write bench/RESULTS.md

For each size (networks from bench/generate.py, imported once into a SQLite store kept
under bench/data/), in one run:

- the snapshot and netmap's graph of institutions beside a direct sqlite3 -> networkx
  build of the same multigraph, and netmap's pairs (what the metrics read) beside a
  direct sqlite3 -> igraph build;
- each metric through netmap's kernels beside networkx, igraph and rustworkx (where it is
  installed and has the algorithm) called directly on the same graph: betweenness from
  the same sampled sources (exact up to 1,000 institutions), PageRank, core numbers,
  articulation points and bridges, connected components, communities (with the
  modularity each finds);
- how far PageRank is from igraph's converged one: netmap's (to 1e-4 relative is the
  aim) and networkx's with its default tolerance;
- ``netmap metrics --json`` as a user runs it, a whole process (wall clock and peak
  memory), on igraph and, up to 10,000 institutions, on networkx alone; beside a whole
  process that reads the same store with sqlite3 and computes the same measures in
  igraph directly.

Seconds are wall clock, one run each, on whatever else the machine does: run it quiet.
The section it writes replaces the one between its markers in the file given.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from run import machine, network_folder

START = "<!-- bench/graphs.py: start -->"
END = "<!-- bench/graphs.py: end -->"
#: Up to this size the CLI also runs on networkx alone (at 100,000 it takes minutes).
NETWORKX_CLI_UP_TO = 10_000


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def store_for(size: int, seed: int) -> Path:
    """A SQLite store holding the generated network of ``size`` (imported once)."""
    path = HERE / "data" / f"{size}-s{seed}.db"
    if not path.exists():
        from netmap.io import import_into
        from netmap.store import SQLiteStore

        partial = path.with_suffix(".partial.db")
        partial.unlink(missing_ok=True)
        import_into(SQLiteStore(partial, actor="bench"), network_folder(size, seed))
        partial.rename(path)
    return path


def direct_networkx(path: Path):
    """The institution multigraph read with sqlite3 and built in networkx, no pandas."""
    import networkx as nx

    connection = sqlite3.connect(path)
    graph = nx.MultiGraph()
    rows = connection.execute("SELECT id, name, country, city, sector FROM institutions")
    graph.add_nodes_from(
        (i, {"name": name, "country": country, "city": city, "sector": sector})
        for i, name, country, city, sector in rows
    )
    rows = connection.execute("SELECT source_id, target_id, id, kind, strength FROM ties")
    graph.add_edges_from((a, b, key, {"kind": kind, "strength": s}) for a, b, key, kind, s in rows)
    connection.close()
    return graph


def direct_igraph_pairs(path: Path, kinds: frozenset[str]):
    """The pairs tied by a tie of one of ``kinds``, read with sqlite3 into igraph, weighted
    by summed strength: the graph an igraph user would measure."""
    import igraph
    import numpy as np

    connection = sqlite3.connect(path)
    ids = [row[0] for row in connection.execute("SELECT id FROM institutions ORDER BY id")]
    number = {key: i for i, key in enumerate(ids)}
    marks = ",".join("?" * len(kinds))
    rows = connection.execute(
        f"SELECT source_id, target_id, coalesce(nullif(strength, 0), 2) FROM ties "
        f"WHERE kind IN ({marks})",
        sorted(kinds),
    ).fetchall()
    connection.close()
    a = np.fromiter((number[r[0]] for r in rows), dtype=np.int64, count=len(rows))
    b = np.fromiter((number[r[1]] for r in rows), dtype=np.int64, count=len(rows))
    w = np.fromiter((r[2] for r in rows), dtype=float, count=len(rows))
    graph = igraph.Graph(n=len(ids), edges=list(zip(a.tolist(), b.tolist(), strict=True)))
    graph.es["weight"] = w.tolist()
    graph.simplify(combine_edges={"weight": "sum"})  # one edge per pair, loops dropped
    return graph


def _modularity(graph, groups) -> float:
    from netmap.analysis import kernels

    return kernels.modularity(graph, groups)


def measure_metrics(size: int, seed: int) -> dict:
    """Every in-process figure for one size."""
    import networkx as nx
    import numpy as np

    from netmap.analysis import kernels
    from netmap.analysis.metrics import EXACT_BETWEENNESS_LIMIT, _betweenness, network_metrics
    from netmap.graph import institution_graph
    from netmap.store import SQLiteStore
    from netmap.taxonomy import load_taxonomy

    try:
        import rustworkx as rx
    except ImportError:
        rx = None
    path = store_for(size, seed)
    figures: dict = {"institutions": size, "rustworkx": rx.__version__ if rx else None}
    figures["load_before"] = os.getloadavg()[0]
    # Every library loaded and every function run once on a small network first: a first
    # call pays imports (SciPy for networkx's PageRank) that the others would not.
    small = SQLiteStore(store_for(1000, seed), actor="bench").snapshot()
    network_metrics(small, engine="igraph")
    network_metrics(small, engine="networkx")
    nx.pagerank(nx.path_graph(3))
    direct_igraph_pairs(store_for(1000, seed), frozenset(load_taxonomy().working_tie_kinds))
    del small
    store = SQLiteStore(path, actor="bench")
    network, figures["snapshot_s"] = timed(store.snapshot)
    graph, figures["graph_s"] = timed(institution_graph, network)
    figures["ties"] = graph.number_of_edges()
    del graph
    direct, figures["direct_networkx_s"] = timed(direct_networkx, path)
    del direct
    taxonomy = load_taxonomy()
    _, figures["direct_igraph_pairs_s"] = timed(
        direct_igraph_pairs, path, frozenset(taxonomy.working_tie_kinds)
    )

    steps: dict[str, float] = {}
    last: list = [None, 0.0]

    def heard(done: int, total: int, step: str) -> None:
        now = time.perf_counter()
        if last[0] is not None:
            steps[last[0]] = now - last[1]
        last[:] = [step or None, now]

    result, figures["netmap_metrics_s"] = timed(network_metrics, network, progress=heard)
    figures["netmap_steps_s"] = steps
    figures["engine"] = result.engine
    figures["betweenness_note"] = result.betweenness_note
    figures["pairs"] = {"working": result.working_ties, "cases": result.case_ties}

    # The graphs the metrics read, built as netmap builds them, for every library alike.
    from netmap.analysis.kernels import PairGraph
    from netmap.analysis.metrics import _Ties

    ties = _Ties.of_network(network, implied=False)
    n = len(ties.ids)
    keep = ties.works
    working = PairGraph.from_pairs(n, ties.source[keep], ties.target[keep], ties.strength[keep])
    keep = ties.carries
    cases = PairGraph.from_pairs(n, ties.source[keep], ties.target[keep], ties.strength[keep])
    del network, ties
    conversions = {}
    _, conversions["networkx"] = timed(lambda: (working.to_networkx(), cases.to_networkx()))
    _, conversions["igraph"] = timed(lambda: (working.to_igraph(), cases.to_igraph()))
    if rx is not None:

        def rx_graph(pairs):
            g = rx.PyGraph(multigraph=False)
            g.add_nodes_from(range(pairs.nodes))
            g.add_edges_from(
                zip(
                    pairs.source.tolist(), pairs.target.tolist(), pairs.weight.tolist(), strict=True
                )
            )
            return g

        def rx_digraph(pairs):  # PageRank in rustworkx is for directed graphs only
            g = rx.PyDiGraph()
            g.add_nodes_from(range(pairs.nodes))
            s, t, w = pairs.source.tolist(), pairs.target.tolist(), pairs.weight.tolist()
            g.add_edges_from(list(zip(s + t, t + s, w + w, strict=True)))
            return g

        (rx_working, rx_cases), conversions["rustworkx"] = timed(
            lambda: (rx_graph(working), rx_graph(cases))
        )
        rx_directed = rx_digraph(working)
    figures["conversion_s"] = conversions

    g_nx, c_nx = working.to_networkx(), cases.to_networkx()
    g_ig, c_ig = working.to_igraph(), cases.to_igraph()
    per: dict[str, dict[str, float | str]] = {}

    # Small graphs: the median of three runs, so that a moment of other work on the
    # machine does not decide a figure of milliseconds; at 100,000 one run (minutes).
    runs = 3 if n <= 10_000 else 1

    def row(name: str, **calls) -> dict:
        found = {}
        for library, call in calls.items():
            if call is None:
                continue
            tries = [timed(call) for _ in range(runs)]
            seconds = sorted(t for _, t in tries)[runs // 2]
            found[library] = (tries[-1][0], seconds)
        per[name] = {library: seconds for library, (_, seconds) in found.items()}
        return {library: value for library, (value, _) in found.items()}

    # Betweenness: the same sources netmap samples (exact up to its limit).
    exact = n <= EXACT_BETWEENNESS_LIMIT
    if exact:
        k, sources = None, None
    else:
        k = int(result.betweenness_note.split(" from ")[1].split(" of ")[0])
        sources = kernels.sampled_sources(n, k, 42)
    row(
        "betweenness",
        netmap=lambda: _betweenness(cases, 42, "igraph"),
        networkx=lambda: nx.betweenness_centrality(c_nx, k=k, seed=42),
        igraph=lambda: c_ig.betweenness(directed=False, sources=sources),
        rustworkx=(lambda: rx.betweenness_centrality(rx_cases)) if rx and exact else None,
    )
    pr = row(
        "pagerank",
        netmap=lambda: kernels.pagerank(working, "igraph"),
        networkx=lambda: nx.pagerank(g_nx, weight="weight"),
        networkx_converged=lambda: kernels.pagerank(working, "networkx"),
        igraph=lambda: np.asarray(g_ig.pagerank(weights="weight", implementation="prpack")),
        rustworkx=(
            lambda: rx.pagerank(
                rx_directed, weight_fn=float, tol=kernels.PAGERANK_TOLERANCE / n, max_iter=1000
            )
        )
        if rx
        else None,
    )
    reference = pr["igraph"]
    default = np.fromiter((pr["networkx"][i] for i in range(n)), dtype=float, count=n)
    figures["pagerank_agreement"] = {
        "netmap_max_rel": float(np.max(np.abs(pr["netmap"] - reference) / reference)),
        "networkx_converged_max_rel": float(
            np.max(np.abs(pr["networkx_converged"] - reference) / reference)
        ),
        "networkx_default_max_rel": float(np.max(np.abs(default - reference) / reference)),
        "networkx_default_top100": len(
            set(np.argsort(-default)[:100].tolist()) & set(np.argsort(-reference)[:100].tolist())
        ),
    }
    if rx is not None:
        ranks = pr["rustworkx"]
        values = np.fromiter((ranks[i] for i in range(n)), dtype=float, count=n)
        figures["pagerank_agreement"]["rustworkx_max_rel"] = float(
            np.max(np.abs(values - reference) / reference)
        )
    row(
        "cores",
        netmap=lambda: kernels.core_number(working, "igraph"),
        networkx=lambda: nx.core_number(g_nx),
        igraph=lambda: g_ig.coreness(),
        rustworkx=(lambda: rx.core_number(rx_working)) if rx else None,
    )
    row(
        "cut_points",
        netmap=lambda: (
            kernels.articulation_points(cases, "igraph"),
            kernels.bridges(cases, "igraph"),
        ),
        networkx=lambda: (list(nx.articulation_points(c_nx)), list(nx.bridges(c_nx))),
        igraph=lambda: (c_ig.articulation_points(), c_ig.bridges()),
        rustworkx=(lambda: (rx.articulation_points(rx_cases), rx.bridges(rx_cases)))
        if rx
        else None,
    )
    row(
        "components",
        netmap=lambda: kernels.components(working, "igraph"),
        networkx=lambda: list(nx.connected_components(g_nx)),
        igraph=lambda: g_ig.connected_components(),
        rustworkx=(lambda: rx.connected_components(rx_working)) if rx else None,
    )

    def members(partition) -> list[list[int]]:
        groups: dict[int, list[int]] = {}
        for node, group in enumerate(partition.membership):
            groups.setdefault(group, []).append(node)
        return list(groups.values())

    found = row(
        "communities",
        netmap=lambda: kernels.communities(working, 42, "igraph"),
        networkx=lambda: nx.community.louvain_communities(g_nx, weight="weight", seed=42),
        igraph=lambda: g_ig.community_multilevel(weights="weight"),
        igraph_leiden=lambda: g_ig.community_leiden(
            objective_function="modularity", weights="weight", n_iterations=-1
        ),
    )
    figures["modularity"] = {
        "netmap": _modularity(working, found["netmap"]),
        "networkx": _modularity(working, [list(c) for c in found["networkx"]]),
        "igraph": _modularity(working, members(found["igraph"])),
        "igraph_leiden": _modularity(working, members(found["igraph_leiden"])),
    }
    figures["per_metric_s"] = per
    figures["runs"] = runs
    figures["load_after"] = os.getloadavg()[0]
    return figures


def direct_igraph_process(path: str) -> None:
    """The reference process: the same measures from the same store, igraph called
    directly, printed as JSON (what ``netmap metrics --json`` would be without netmap)."""
    import igraph

    from netmap.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    working = direct_igraph_pairs(Path(path), frozenset(taxonomy.working_tie_kinds))
    cases = direct_igraph_pairs(Path(path), frozenset(taxonomy.case_carrying_tie_kinds))
    n = working.vcount()
    k = min(n, 500, max(64, 2_000_000 // max(cases.ecount(), 1)))
    sources = random.Random(42).sample(range(n), k) if n > 1000 else None
    igraph.set_random_number_generator(random.Random(42))
    result = {
        "betweenness": cases.betweenness(directed=False, sources=sources),
        "pagerank": working.pagerank(weights="weight"),
        "core_number": working.coreness(),
        "communities": working.community_leiden(
            objective_function="modularity", weights="weight", n_iterations=-1
        ).membership,
        "articulation_points": cases.articulation_points(),
        "bridges": cases.bridges(),
    }
    sys.stdout.write(json.dumps(result))


# Starts the command and reports its wall clock and peak memory. A child's peak counts the
# memory of the process it was forked from, so the bench (which may have imported a
# network) forks this small one, which forks the command.
_LAUNCHER = """
import json, os, subprocess, sys, time
start = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(process.pid, 0)
process.returncode = os.waitstatus_to_exitcode(status)
print(json.dumps({"s": time.perf_counter() - start, "peak_mb": usage.ru_maxrss / 1024,
                  "status": process.returncode}))
"""


def whole_process(command: list[str], environment: dict | None = None) -> dict:
    """Run ``command`` to its end, output discarded: wall clock and peak memory (MB)."""
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *command],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    figures = json.loads(done.stdout)
    if figures.pop("status") != 0:
        raise RuntimeError(f"{command} failed: {done.stderr[-2000:]}")
    return figures


def measure_processes(size: int, seed: int) -> dict:
    """The whole processes, in turns: up to 10,000 institutions three turns (the median
    time, the largest peak), at 100,000 one."""
    path = store_for(size, seed)
    url = f"sqlite:///{path}"
    environment = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    cli = [sys.executable, "-m", "netmap", "--store", url, "metrics", "--json"]
    commands = {
        "cli_igraph": (cli, {**environment, "NETMAP_GRAPH_ENGINE": "igraph"}),
        "direct_igraph": ([sys.executable, __file__, "--direct-igraph", str(path)], environment),
    }
    if size <= NETWORKX_CLI_UP_TO:
        commands["cli_networkx"] = (cli, {**environment, "NETMAP_GRAPH_ENGINE": "networkx"})
    turns = 3 if size <= 10_000 else 1
    runs: dict[str, list[dict]] = {key: [] for key in commands}
    for _ in range(turns):
        for key, (command, env) in commands.items():
            runs[key].append(whole_process(command, env))
    return {
        key: {
            "s": sorted(run["s"] for run in done)[len(done) // 2],
            "peak_mb": max(run["peak_mb"] for run in done),
            "turns": len(done),
        }
        for key, done in runs.items()
    }


# --- the table ----------------------------------------------------------------------------

LIBRARIES = ("netmap", "networkx", "igraph", "rustworkx")
METRIC_ROWS = {
    "betweenness": "betweenness (exact to 1,000; above, the same sampled sources)",
    "pagerank": "PageRank",
    "cores": "core numbers",
    "cut_points": "articulation points and bridges",
    "components": "connected components",
    "communities": "communities (netmap: Leiden; networkx: Louvain; igraph: multilevel)",
}


def _seconds(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def table(results: list[dict]) -> str:
    header = "| measure | " + " | ".join(
        f"{r['institutions']:,}: " + " / ".join(LIBRARIES) for r in results
    )
    lines = [header + " |", "| --- |" + " --- |" * len(results)]

    def cells(function) -> str:
        return " | ".join(function(r) for r in results)

    for key, label in METRIC_ROWS.items():
        lines.append(
            f"| {label} (s) | "
            + cells(
                lambda r, key=key: " / ".join(
                    _seconds(r["per_metric_s"][key].get(library)) for library in LIBRARIES
                )
            )
            + " |"
        )
    lines.append(
        "| Leiden in igraph directly (s) | "
        + cells(lambda r: _seconds(r["per_metric_s"]["communities"]["igraph_leiden"]))
        + " |"
    )
    lines.append(
        "| modularity: netmap (Leiden) / networkx (Louvain) / igraph (multilevel) | "
        + cells(
            lambda r: " / ".join(
                f"{r['modularity'][k]:.4f}" for k in ("netmap", "networkx", "igraph")
            )
        )
        + " |"
    )
    lines.append(
        "| PageRank, networkx to netmap's convergence (s) | "
        + cells(lambda r: _seconds(r["per_metric_s"]["pagerank"]["networkx_converged"]))
        + " |"
    )
    lines.append(
        "| PageRank, largest difference from igraph's, relative: netmap / networkx "
        "converged / networkx default tol / rustworkx | "
        + cells(
            lambda r: " / ".join(
                f"{r['pagerank_agreement'].get(k, float('nan')):.1e}"
                for k in (
                    "netmap_max_rel",
                    "networkx_converged_max_rel",
                    "networkx_default_max_rel",
                    "rustworkx_max_rel",
                )
            )
        )
        + " |"
    )
    lines.append(
        "| PageRank top 100 shared with igraph's, networkx default tol | "
        + cells(lambda r: f"{r['pagerank_agreement']['networkx_default_top100']}/100")
        + " |"
    )
    lines.append(
        "| graph conversion of both pair graphs (s): networkx / igraph / rustworkx | "
        + cells(
            lambda r: " / ".join(
                _seconds(r["conversion_s"].get(k)) for k in ("networkx", "igraph", "rustworkx")
            )
        )
        + " |"
    )
    lines.append(
        "| snapshot (s) / its graph of institutions (s) / direct sqlite3 -> networkx "
        "multigraph (s) | "
        + cells(
            lambda r: (
                f"{_seconds(r['snapshot_s'])} / {_seconds(r['graph_s'])} / "
                f"{_seconds(r['direct_networkx_s'])}"
            )
        )
        + " |"
    )
    lines.append(
        "| netmap's pairs from the snapshot (s) / direct sqlite3 -> igraph pairs (s) | "
        + cells(
            lambda r: (
                f"{_seconds(r['netmap_steps_s'].get('pairs'))} / "
                f"{_seconds(r['direct_igraph_pairs_s'])}"
            )
        )
        + " |"
    )
    lines.append(
        "| netmap's metrics in process, from the snapshot (s) | "
        + cells(lambda r: _seconds(r["netmap_metrics_s"]))
        + " |"
    )
    lines.append(
        "| - of which brokers / tables (s) | "
        + cells(
            lambda r: (
                f"{_seconds(r['netmap_steps_s'].get('brokers'))} / "
                f"{_seconds(r['netmap_steps_s'].get('tables'))}"
            )
        )
        + " |"
    )
    for key, label in (
        ("cli_igraph", "`netmap metrics --json`, whole process, igraph"),
        ("cli_networkx", "`netmap metrics --json`, whole process, networkx alone"),
        ("direct_igraph", "a whole process reading the store into igraph directly"),
    ):
        lines.append(
            f"| {label}: s (peak MB) | "
            + cells(
                lambda r, key=key: (
                    f"{_seconds(r[key]['s'])} ({r[key]['peak_mb']:,.0f})" if key in r else "not run"
                )
            )
            + " |"
        )
    notes = [f"- {r['institutions']:,}: {r['betweenness_note']}" for r in results]
    notes += [
        f"- {r['institutions']:,}: each library call timed {r.get('runs', 1)} time(s), the "
        f"median kept; the machine's load average (1 min) {r.get('load_before', 0):.1f} "
        f"before, {r.get('load_after', 0):.1f} after the in-process figures"
        for r in results
    ]
    pairs = [
        f"- {r['institutions']:,}: {r['ties']:,} ties; {r['pairs']['working']:,} pairs working "
        f"together, {r['pairs']['cases']:,} linked by ties that carry cases"
        for r in results
    ]
    return "\n".join(lines) + "\n\n" + "\n".join(pairs + notes) + "\n"


def write_section(path: Path, text: str) -> None:
    """Put ``text`` between the markers in ``path`` (at the top, after the title, when
    there are none yet)."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    section = f"{START}\n{text}\n{END}"
    if START in old and END in old:
        before, rest = old.split(START, 1)
        new = before + section + rest.split(END, 1)[1]
    else:
        title, _, rest = old.partition("\n")
        new = f"{title}\n\n{section}\n{rest}"
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write", type=Path)
    parser.add_argument(
        "--processes-only",
        action="store_true",
        help="measure the whole processes again, keeping the other figures of the last run",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--direct-igraph", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.direct_igraph:
        direct_igraph_process(args.direct_igraph)
        return 0
    if args.one:
        print(json.dumps(measure_metrics(args.one, args.seed)))
        return 0
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"{size:,} institutions …", file=sys.stderr, flush=True)
        saved = HERE / "data" / f"graphs-{size}.json"
        if args.processes_only:
            figures = json.loads(saved.read_text("utf-8"))
        else:
            # The import runs in a process of its own too: this one stays small.
            subprocess.run(
                [sys.executable, "-c", f"import graphs; graphs.store_for({size}, {args.seed})"],
                check=True,
                cwd=HERE,
            )
            done = subprocess.run(
                [sys.executable, __file__, "--one", str(size), "--seed", str(args.seed)],
                check=True,
                capture_output=True,
                text=True,
            )
            figures = json.loads(done.stdout.strip().splitlines()[-1])
        figures.update(measure_processes(size, args.seed))
        saved.write_text(json.dumps(figures), "utf-8")
        results.append(figures)
    text = table(results)
    print(text)
    if args.write:
        write_section(
            args.write,
            f"## The graph work beside networkx, igraph and rustworkx\n\n"
            f"Measured {date.today()} on {machine()}, with `python bench/graphs.py --sizes "
            f"{args.sizes} --seed {args.seed}`; igraph {_version('igraph')}, networkx "
            f"{_version('networkx')}, rustworkx {_version('rustworkx') or 'not installed'}."
            f"\n\n{text}",
        )
    return 0


def _version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


if __name__ == "__main__":
    sys.exit(main())
