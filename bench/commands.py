"""Time netmap's read commands as a user runs them: one whole process each, with its peak
memory, for two checkouts of netmap on the same store (before and after a change).

    python bench/commands.py --before /path/to/old/checkout --sizes 10000,100000
    python bench/commands.py --before … --sizes 10000 --neo4j      # also on a Neo4j server

For each size the network of bench/generate.py is imported by the *before* checkout (so
the store is in the schema that checkout makes), each command runs with it, then the
*after* checkout (this one) opens the same store (upgrading it where its schema moved on:
timed apart) and runs each command again. Both outputs of every ``--json`` command must be
the same bytes; the figures are printed as a Markdown table.

Whole processes, not calls in one interpreter: what a user waits for includes starting
Python, importing the libraries and reading the store, and a process's peak memory is
its own (``os.wait4``'s resource usage of that child).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
AFTER = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from run import machine, network_folder

# The read commands issue 19 names, in the order they are reported.
COMMANDS = ("stats", "search", "find-contact", "gaps --city", "path", "metrics")


def run_netmap(checkout: Path, store: str, args: list[str]) -> tuple[float, float, bytes]:
    """Run ``netmap --store STORE ARGS`` with ``checkout``'s code; return (seconds, peak
    MB, stdout). Fails on a non-zero exit. The peak is the process's maximum resident
    memory as GNU time reports it."""
    environ = {**os.environ, "PYTHONPATH": str(checkout), "COLUMNS": "200"}
    with tempfile.NamedTemporaryFile("r", suffix=".time") as peak:
        started = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", peak.name]
            + [sys.executable, "-m", "netmap", "--store", store, *args],
            check=False,  # the error is raised below, with what netmap said
            capture_output=True,
            env=environ,
            cwd=checkout,
        )
        seconds = time.perf_counter() - started
        kib = int(peak.read().split()[-1])
    if done.returncode != 0:
        raise RuntimeError(f"netmap {' '.join(args)} failed: {done.stderr.decode()[-2000:]}")
    return seconds, kib / 1024, done.stdout


def questions(store: str, checkout: Path, size: int, seed: int) -> dict[str, list[str]]:
    """The arguments of each command for this network: the biggest city, two institutions
    of different countries, a name to look for."""
    out = subprocess.run(
        [sys.executable, "-c", _PICK, store, str(seed)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(checkout)},
        cwd=checkout,
    )
    picked = json.loads(out.stdout)
    return {
        "stats": ["stats", "--json"],
        "search": ["search", picked["name"], "--json"],
        "find-contact": [
            "find-contact",
            "--from",
            picked["from"],
            "--country",
            picked["to_country"],
            "--service",
            "shelter",
            "--json",
        ],
        "gaps --city": ["gaps", "--city", picked["city"], "--country", picked["country"], "--json"],
        "path": ["path", picked["from"], picked["to"], "--json"],
        "metrics": ["metrics", "--json"],
    }


# Chosen with the store's own outline, by the before checkout (any netmap has it).
_PICK = """
import json, random, sys
from netmap.store import open_store
outline = open_store(sys.argv[1]).outline()
rng = random.Random(int(sys.argv[2]))
institutions = outline.institutions.sort_values("id")
cities = institutions.groupby(["country", "city"]).size().sort_values()
country, city = cities.index[-1]
ids = institutions["id"].tolist()
first = rng.choice(ids)
home = institutions.set_index("id").loc[first, "country"]
abroad = institutions[institutions["country"] != home]
to = rng.choice(abroad["id"].tolist())
words = rng.choice(institutions["name"].tolist()).split()
print(json.dumps({"from": first, "to": to, "to_country": abroad.set_index("id").loc[to, "country"],
                  "city": city, "country": country, "name": " ".join(words[:2])}))
"""


def load_average() -> str:
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def measure(
    checkouts: dict[str, Path], store: str, asked: dict[str, list[str]], repeats: dict[str, int]
) -> dict:
    """Each command with each checkout, ``repeats[name]`` times; the median seconds, the
    largest peak, and whether the outputs agree."""
    figures: dict = {"load_before": load_average()}
    outputs: dict[str, dict[str, bytes]] = {}
    for name, checkout in checkouts.items():
        if name == "after":
            seconds, _, _ = run_netmap(checkout, store, ["stats", "--json"])
            figures["upgrade_s"] = seconds  # the first open upgrades the store's schema
        for command in COMMANDS:
            runs = [run_netmap(checkout, store, asked[command]) for _ in range(repeats[name])]
            figures[f"{name} {command}"] = {
                "s": statistics.median(r[0] for r in runs),
                "peak_mb": max(r[1] for r in runs),
            }
            outputs.setdefault(command, {})[name] = runs[0][2]
            print(f"  {name} {command}: {figures[f'{name} {command}']}", file=sys.stderr)
    figures["same_output"] = {
        command: len(set(by_checkout.values())) == 1 for command, by_checkout in outputs.items()
    }
    figures["load_after"] = load_average()
    return figures


def import_with(checkout: Path, store: str, folder: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "netmap", "--store", store, "import", str(folder)],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(checkout)},
        cwd=checkout,
    )
    return time.perf_counter() - started


def table(results: list[dict]) -> str:
    header = "| command | " + " | ".join(
        f"{r['institutions']:,} {r['store']}: before | after" for r in results
    )
    lines = [header + " |", "| --- |" + " --- | --- |" * len(results)]
    for command in COMMANDS:
        cells = []
        for r in results:
            before, after = r[f"before {command}"], r[f"after {command}"]
            same = "" if r["same_output"][command] else " (output differs!)"
            cells.append(f"{before['s']:.1f} s, {before['peak_mb']:,.0f} MB")
            cells.append(f"{after['s']:.2f} s, {after['peak_mb']:,.0f} MB{same}")
        lines.append(f"| `netmap {command}` | " + " | ".join(cells) + " |")
    lines.append(
        "| schema upgrade on first open (s) | "
        + " | ".join(f"– | {r['upgrade_s']:.1f}" for r in results)
        + " |"
    )
    lines.append(
        "| load average (1/5/15 min), before / after the run | "
        + " | ".join(f"{r['load_before']} | {r['load_after']}" for r in results)
        + " |"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="the checkout to compare with")
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=2, help="runs of each command (median)")
    parser.add_argument("--before-repeats", type=int, default=1)
    parser.add_argument("--neo4j", action="store_true", help="on a Neo4j server instead")
    parser.add_argument("--neo4j-port", type=int, default=7698)
    parser.add_argument("--neo4j-heap", default="4g")
    args = parser.parse_args(argv)
    checkouts = {"before": args.before.resolve(), "after": AFTER}
    repeats = {"before": args.before_repeats, "after": args.repeats}
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        folder = network_folder(size, args.seed)
        work = Path(tempfile.mkdtemp(prefix="netmap-commands-"))
        server = None
        if args.neo4j:
            from neo4j_server import Neo4jServer

            server = Neo4jServer(heap=args.neo4j_heap, port=args.neo4j_port)
            server.start()
            store, kind = server.uri, "Neo4j"
        else:
            store, kind = f"sqlite:///{work / 'netmap.db'}", "SQLite"
        try:
            imported = import_with(checkouts["before"], store, folder)
            print(f"{size:,} {kind}: imported in {imported:.1f} s", file=sys.stderr)
            asked = questions(store, checkouts["before"], size, args.seed)
            figures = measure(checkouts, store, asked, repeats)
        finally:
            if server is not None:
                server.stop()
            shutil.rmtree(work, ignore_errors=True)
        figures.update(institutions=size, store=kind, asked=asked, import_s=imported)
        results.append(figures)
        print(json.dumps(figures), file=sys.stderr)
    print(f"Measured on {machine()}, seed {args.seed}.\n")
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
