"""The package as a notebook or a page imports it."""

from __future__ import annotations

import subprocess
import sys


def test_the_package_offers_its_analysis_without_importing_it_up_front():
    script = (
        "import sys, netmap, netmap.analysis.pathways\n"
        "assert 'scipy' not in sys.modules and 'netmap.analysis.finder' not in sys.modules\n"
        "assert callable(netmap.metrics) and callable(netmap.gaps) and callable(netmap.search)\n"
        "from netmap.analysis import find_contacts, coverage\n"
        "assert find_contacts is netmap.find_contacts and 'scipy' in sys.modules\n"
        "try:\n    netmap.nothing\nexcept AttributeError as e:\n    print(e)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "module 'netmap' has no attribute 'nothing'" in done.stdout


def test_the_command_line_starts_without_the_graph_libraries():
    """``netmap --help`` answers at once: pandas, networkx and igraph load only for the
    commands that work on a network (the kernels import igraph when they run)."""
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from netmap.cli import app\n"
        "for args in (['--help'], ['metrics', '--help'], ['import', '--help']):\n"
        "    assert CliRunner().invoke(app, args).exit_code == 0, args\n"
        "heavy = {'pandas', 'networkx', 'igraph', 'numpy'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
        "import netmap.analysis.kernels\n"
        "assert 'igraph' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
