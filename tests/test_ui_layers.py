"""The app's modules import one way, and Streamlit stays in the app.

Read from the source (imports inside functions included), so a circle shows here before
it shows as a half-initialised module at run time.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parent.parent / "netmap"
UI = PACKAGE / "ui"


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, by its full name, wherever the import stands."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def ui_imports() -> nx.DiGraph:
    """Which modules of ``netmap.ui`` (pages left out) import which."""
    modules = {path.stem for path in UI.glob("*.py") if path.stem != "__init__"}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name in modules:
        for target in imported_modules(UI / f"{name}.py"):
            parts = target.split(".")
            inside = parts[:2] == ["netmap", "ui"] and len(parts) > 2
            if inside and parts[2] in modules and parts[2] != name:
                graph.add_edge(name, parts[2])
    return graph


def test_the_app_modules_import_each_other_without_a_circle():
    graph = ui_imports()
    assert nx.is_directed_acyclic_graph(graph), list(nx.simple_cycles(graph))


def test_access_and_the_store_sit_below_the_caches_and_the_widgets():
    below = nx.descendants(ui_imports(), "access") | {"access"}
    assert not below & {"cached", "widgets", "demo", "navigation"}, below
    assert "access" not in nx.descendants(ui_imports(), "cached")


def test_streamlit_is_imported_only_by_the_app():
    outside = [
        path.relative_to(PACKAGE.parent)
        for path in PACKAGE.rglob("*.py")
        if UI not in path.parents
        and any(name.split(".")[0] == "streamlit" for name in imported_modules(path))
    ]
    assert outside == []


def test_importing_netmap_loads_neither_streamlit_nor_pandas_nor_networkx():
    script = (
        "import sys, netmap\n"
        "print(*(m for m in ('streamlit', 'pandas', 'networkx') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.split()
    assert loaded == []
