"""Nothing lost: backups round-trip, killed imports leave the store whole, conflicts are kept."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest
from typer.testing import CliRunner

from netmap.access import Role, User
from netmap.backup import backup, restore
from netmap.cli import app
from netmap.errors import Conflict, NetmapError
from netmap.export import export_network
from netmap.model import RecordKind
from netmap.store import SQLiteStore

ADMIN = User("admin", Role.ADMIN)
runner = CliRunner()


def canonical(store, folder):
    export_network(store.snapshot(), folder, "csv")
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("suffix", [".db", ".json"])
def test_backup_wipe_restore_gives_the_same_canonical_export(demo_store, tmp_path, suffix):
    before = canonical(demo_store, tmp_path / "before")
    revision = demo_store.revision()
    if suffix == ".db":
        backup(demo_store, ADMIN, tmp_path / f"backup{suffix}")
    else:
        _json_backup(demo_store, tmp_path / f"backup{suffix}")
    demo_store.erase_everything()
    assert demo_store.counts()[RecordKind.INSTITUTION] == 0
    restore(demo_store, ADMIN, tmp_path / f"backup{suffix}")
    assert canonical(demo_store, tmp_path / "after") == before
    assert demo_store.revision() > revision


def _json_backup(store, path):
    """A JSON backup as a Neo4j store makes it (the format restore reads from any store)."""
    from netmap.export import network_document

    document = network_document(store.snapshot())
    document["accounts"] = []
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def test_a_backup_never_overwrites_a_file(demo_store, tmp_path):
    (tmp_path / "taken.db").write_text("keep me")
    with pytest.raises(NetmapError, match="already exists"):
        backup(demo_store, ADMIN, tmp_path / "taken.db")
    assert (tmp_path / "taken.db").read_text() == "keep me"


def test_restoring_something_that_is_not_a_backup_changes_nothing(demo_store, tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    counts = demo_store.counts()
    with pytest.raises(NetmapError, match="not a netmap backup"):
        restore(demo_store, ADMIN, tmp_path / "notes.txt")
    assert demo_store.counts() == counts


def test_backup_and_restore_commands(demo_store, tmp_path):
    url = f"sqlite:///{demo_store.path}"
    made = runner.invoke(app, ["--store", url, "backup", str(tmp_path / "b.db")])
    assert made.exit_code == 0, made.output
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    restored = runner.invoke(app, ["--store", fresh, "restore", str(tmp_path / "b.db"), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert "Restored 114 institutions" in restored.output


def test_the_second_of_two_editors_is_refused_and_both_versions_are_in_the_log(demo_store):
    first = demo_store.get(RecordKind.INSTITUTION, "gr-athens-ekka")
    second = SQLiteStore(demo_store.path, actor="second editor").get(
        RecordKind.INSTITUTION, "gr-athens-ekka"
    )
    demo_store.update(first.model_copy(update={"phone": "+30 210 111 1111"}))
    other = SQLiteStore(demo_store.path, actor="second editor")
    with pytest.raises(Conflict):
        other.update(second.model_copy(update={"phone": "+30 210 222 2222"}))
    log = demo_store.changes(record_id="gr-athens-ekka")
    assert (log[0].action, log[0].actor) == ("conflict", "second editor")
    assert log[0].fields["phone"][1] == "+30 210 222 2222"
    assert log[1].fields["phone"][1] == "+30 210 111 1111"


KILLED_IMPORT = textwrap.dedent(
    """
    import sys
    from netmap.io.importer import read_source
    from netmap.store import SQLiteStore

    store = SQLiteStore(sys.argv[1])
    report = read_source(sys.argv[2], store)
    assert not report.errors, report.errors[:3]

    def progress(done, total):
        print("writing", done, total, flush=True)

    store.write(report.batch, progress=progress)
    print("done", flush=True)
    """
)


def test_an_import_killed_while_writing_leaves_the_store_as_it_was(tmp_path):
    generated = tmp_path / "net"
    subprocess.run(
        [
            sys.executable,
            "bench/generate.py",
            "--institutions",
            "3000",
            "--seed",
            "7",
            "--out",
            str(generated),
        ],
        check=True,
        capture_output=True,
        cwd=os.path.dirname(os.path.dirname(__file__)),
    )
    store_path = tmp_path / "killed.db"
    SQLiteStore(store_path)
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_IMPORT, str(store_path), str(generated)],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    assert line.startswith("writing"), line
    time.sleep(random.Random(1).uniform(0.0, 0.05))
    process.send_signal(signal.SIGKILL)
    process.wait()
    with sqlite3.connect(store_path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        institutions = connection.execute("SELECT count(*) FROM institutions").fetchone()[0]
        ties = connection.execute("SELECT count(*) FROM ties").fetchone()[0]
    assert (institutions, ties) in [(0, 0), (3000, 30000)]


FULL_DISK = textwrap.dedent(
    """
    import resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[3]), int(sys.argv[3])))
    from netmap.cli import main
    sys.argv = ["netmap", "--store", sys.argv[1], "import", sys.argv[2]]
    main()
    """
)


def test_a_full_disk_is_one_clear_line_and_the_store_survives(demo_store, tmp_path):
    generated = tmp_path / "net"
    subprocess.run(
        [
            sys.executable,
            "bench/generate.py",
            "--institutions",
            "1000",
            "--seed",
            "3",
            "--out",
            str(generated),
        ],
        check=True,
        capture_output=True,
        cwd=os.path.dirname(os.path.dirname(__file__)),
    )
    demo_store.compact()
    counts = demo_store.counts()
    limit = demo_store.path.stat().st_size + 64 * 1024
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            FULL_DISK,
            f"sqlite:///{demo_store.path}",
            str(generated),
            str(limit),
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ") and "disk is full" in last
    assert "Traceback" not in result.stderr
    assert demo_store.counts() == counts
    with sqlite3.connect(demo_store.path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_read_only_store_file_is_one_clear_line_and_stays_intact(demo_store, tmp_path):
    """The file is made immutable with chattr, which binds root too (file modes do not)."""
    counts = demo_store.counts()
    demo_store.compact()
    locked = subprocess.run(
        ["chattr", "+i", str(demo_store.path)], check=False, capture_output=True, text=True
    )
    if locked.returncode != 0:
        pytest.skip(f"cannot make a file read-only here (chattr: {locked.stderr.strip()})")
    try:
        result = runner.invoke(app, ["--store", f"sqlite:///{demo_store.path}", "init", "--demo"])
        folder = tmp_path / "one"
        folder.mkdir()
        (folder / "institutions.csv").write_text("name,sector,country\nNew,police,GR\n")
        imported = runner.invoke(
            app, ["--store", f"sqlite:///{demo_store.path}", "import", str(folder)]
        )
    finally:
        subprocess.run(["chattr", "-i", str(demo_store.path)], check=True)
    assert result.exit_code == 0  # nothing to change: nothing is written
    assert imported.exit_code == 1
    assert (
        imported.stderr.strip()
        .splitlines()[-1]
        .endswith(
            "the store file is read-only: check its permissions, or copy it somewhere writable"
        )
    )
    assert demo_store.counts() == counts
