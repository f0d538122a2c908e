"""The package keeps its shape: its types check, its imports run downward without a
circle, and the command line starts without loading the analysis stack."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import grimp
import networkx as nx

REPO = Path(__file__).resolve().parents[1]


#: What the command line and ``import netmap`` must not load up front: the analysis stack
#: (seconds on a cold start) and the app.
HEAVY = ("pandas", "numpy", "networkx", "scipy", "igraph", "streamlit")

#: Modules each start may add to a bare interpreter's. Measured (Python 3.11, typer 0.20,
#: rich 14): ``import netmap`` 17, ``netmap --help`` 284. The ceilings leave room for
#: other versions of typer and rich, not for a new dependency loaded up front.
IMPORT_CEILING = 40
HELP_CEILING = 340


def run(*command: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, check=False, timeout=timeout
    )


def test_mypy_finds_no_type_errors_in_netmap():
    # Configured in pyproject.toml ([tool.mypy]): strict, over netmap/.
    done = run(sys.executable, "-m", "mypy")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success: no issues found" in done.stdout


def test_imports_keep_the_layers_and_each_library_in_its_module():
    # The contracts are in pyproject.toml ([tool.importlinter]).
    script = (
        "import sys\n"
        "from importlinter.cli import lint_imports\n"
        "sys.exit(lint_imports(no_cache=True, no_logo=True))\n"
    )
    done = run(sys.executable, "-c", script)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "broken" in done.stdout and " 0 broken" in done.stdout


def import_circles(package: str) -> list[set[str]]:
    """Each set of modules of ``package`` that import one another around a circle (any
    import counts: at the top, inside a function, or for type checking only)."""
    graph = grimp.build_graph(package)
    imports = nx.DiGraph(
        (module, imported)
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
    )
    return [set(c) for c in nx.strongly_connected_components(imports) if len(c) > 1]


def test_no_modules_of_netmap_import_each_other_around_a_circle():
    assert grimp.build_graph("netmap").find_modules_directly_imported_by("netmap.store")
    circles = [sorted(c) for c in import_circles("netmap")]
    assert circles == [], f"modules importing each other around a circle: {circles}"


def test_the_circle_check_finds_a_circle_of_three(tmp_path, monkeypatch):
    package = tmp_path / "circled"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from circled import b\n")
    (package / "b.py").write_text("import circled.c\n")
    (package / "c.py").write_text("from circled.a import x\n")
    (package / "d.py").write_text("from circled import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert import_circles("circled") == [{"circled.a", "circled.b", "circled.c"}]


def modules_loaded_by(code: str) -> tuple[list[str], int]:
    """Run ``code`` in a fresh interpreter; return the modules it loaded, in all, and how
    many it added to those the bare interpreter had (site and .pth files vary)."""
    script = (
        "import atexit, json, sys\n"
        "before = set(sys.modules)\n"
        "atexit.register(lambda: print(json.dumps([sorted(sys.modules),"
        " len(set(sys.modules) - before)]), file=sys.stderr))\n" + code
    )
    done = run(sys.executable, "-c", script, timeout=120)
    assert done.returncode == 0, done.stderr
    modules, added = json.loads(done.stderr.strip().splitlines()[-1])
    return modules, added


def heavy_among(modules: list[str]) -> list[str]:
    return sorted({m.split(".")[0] for m in modules} & set(HEAVY))


def test_import_netmap_loads_no_analysis_stack():
    # The count sees what is loaded later too: asking for open_store loads the stores.
    modules, _ = modules_loaded_by("import netmap\nnetmap.open_store\n")
    assert "netmap.store.sqlite" in modules
    modules, added = modules_loaded_by("import netmap\n")
    assert heavy_among(modules) == []
    assert added <= IMPORT_CEILING, f"import netmap loads {added} modules"


def test_netmap_help_loads_no_analysis_stack():
    code = (
        "import runpy\n"
        "sys.argv = ['netmap', '--help']\n"
        "runpy.run_module('netmap', run_name='__main__', alter_sys=True)\n"
    )
    modules, added = modules_loaded_by(code)
    assert "typer" in modules  # the help was made
    assert heavy_among(modules) == []
    assert added <= HELP_CEILING, f"netmap --help loads {added} modules"


def test_netmap_help_answers():
    done = run(sys.executable, "-m", "netmap", "--help", timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Usage: netmap" in done.stdout
