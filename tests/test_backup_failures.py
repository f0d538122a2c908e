"""A backup that cannot be written whole leaves nothing behind: written as the attack, a
backup onto a full disk, where a partial copy of personal data would otherwise stay.

The full disk is the operating system's own refusal: the backup runs in a process whose
file-size limit (RLIMIT_FSIZE) is smaller than the backup (but above the 32 KiB of the
store's own shared-memory file), so every write past it fails with EFBIG, as a write to a
full disk fails with ENOSPC.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from builders import institution
from conftest import NEO4J_URI

from netmap.model import Contact
from netmap.store import SQLiteStore
from netmap.store.base import RecordSet

unix_only = pytest.mark.skipif(sys.platform == "win32", reason="needs RLIMIT_FSIZE")

FULL_DISK = textwrap.dedent(
    """
    import resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    limit = int(sys.argv[3])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    from netmap.cli import main
    sys.argv = ["netmap", "--store", sys.argv[1], "backup", sys.argv[2]]
    main()
    """
)


def fill(store) -> None:
    batch = RecordSet()
    for number in range(300):
        batch.add(institution(f"rs-nis-{number}", name=f"Institution {number} " + "x" * 200))
    batch.add(
        Contact(
            id="c-1",
            institution_id="rs-nis-1",
            name="Drazhomira Vexlerova",
            email="d.vexlerova@example.org",
        )
    )
    store.write(batch)


@unix_only
def test_a_backup_onto_a_full_disk_is_one_line_and_leaves_no_partial_file(empty_store, tmp_path):
    fill(empty_store)
    is_sqlite = isinstance(empty_store, SQLiteStore)
    url = empty_store.url if is_sqlite else NEO4J_URI
    out = tmp_path / "backups" / ("netmap.db" if is_sqlite else "netmap.json")
    out.parent.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", FULL_DISK, url, str(out), "40000"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith(f"error: {out}: the backup could not be written (")
    assert "disk is full" in lines[0] and lines[0].endswith("the partial file was removed")
    assert list(out.parent.iterdir()) == []  # no partial copy, no journal beside it


@unix_only
def test_the_same_backup_with_room_enough_is_written(empty_store, tmp_path):
    fill(empty_store)
    is_sqlite = isinstance(empty_store, SQLiteStore)
    url = empty_store.url if is_sqlite else NEO4J_URI
    out = tmp_path / ("netmap.db" if is_sqlite else "netmap.json")
    result = subprocess.run(
        [sys.executable, "-c", FULL_DISK, url, str(out), str(50 * 2**20)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert out.exists()
