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
