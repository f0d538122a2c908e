"""Copying a whole network between stores: a commission's laptop file to a shared store
and back. Written with two SQLite stores; the same library call copies to and from Neo4j."""

from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from netmap.cli import app
from netmap.errors import NetmapError, ValidationFailed
from netmap.model import RECORD_KINDS, Institution, RecordKind
from netmap.store import SQLiteStore
from netmap.store.base import Account
from netmap.sync import SyncMismatch, sync


@pytest.fixture
def laptop(tmp_path) -> SQLiteStore:
    """An empty store to copy into."""
    return SQLiteStore(tmp_path / "laptop.db", actor="laptop-user")


def test_the_demo_network_is_copied_whole_and_the_counts_match(demo_store, laptop):
    result = sync(demo_store, laptop)
    assert laptop.counts() == demo_store.counts()
    assert result["counts"] == {kind.value: n for kind, n in demo_store.counts().items()}
    assert result["written"] is True
    assert {row["table"]: row["new"] for row in result["plan"]} == result["counts"]
    source, copy = demo_store.snapshot(), laptop.snapshot()
    for kind in RECORD_KINDS:
        columns = [c for c in source[kind].columns if c not in ("updated_at", "version")]
        assert source[kind][columns].equals(copy[kind][columns]), kind


def test_copying_again_changes_nothing(demo_store, laptop):
    sync(demo_store, laptop)
    revision = laptop.revision()
    result = sync(demo_store, laptop)
    assert result["written"] is False
    assert all(row["new"] == row["updated"] == 0 for row in result["plan"])
    assert laptop.revision() == revision


def test_an_edit_in_the_source_reaches_the_copy_as_an_update(demo_store, laptop):
    sync(demo_store, laptop)
    arsis = demo_store.get(RecordKind.INSTITUTION, "gr-thessaloniki-arsis")
    demo_store.update(arsis.model_copy(update={"phone": "+30 2310 526150"}))
    result = sync(demo_store, laptop)
    updated = {row["table"]: row["updated"] for row in result["plan"]}
    assert updated["institutions"] == 1
    assert laptop.get(RecordKind.INSTITUTION, "gr-thessaloniki-arsis").phone == "+30 2310 526150"
    assert laptop.changes(record_id="gr-thessaloniki-arsis")[0].actor == "laptop-user"


def test_records_only_the_target_has_are_kept_and_reported(demo_store, laptop):
    laptop.add(
        Institution(
            id="md-chisinau-la-strada", name="La Strada", sector="civil_society", country="MD"
        )
    )
    result = sync(demo_store, laptop)
    assert result["kept"]["institutions"] == 1
    assert laptop.get(RecordKind.INSTITUTION, "md-chisinau-la-strada").name == "La Strada"
    expected = demo_store.counts()[RecordKind.INSTITUTION] + 1
    assert laptop.counts()[RecordKind.INSTITUTION] == expected


def test_a_dry_run_shows_the_plan_and_writes_nothing(demo_store, laptop):
    result = sync(demo_store, laptop, dry_run=True)
    assert result["written"] is False
    assert sum(row["new"] for row in result["plan"]) == sum(demo_store.counts().values())
    assert set(laptop.counts().values()) == {0}
    assert laptop.revision() == 0


def test_progress_is_reported_up_to_every_record(demo_store, laptop):
    seen = []
    sync(demo_store, laptop, progress=lambda done, total: seen.append((done, total)))
    total = sum(demo_store.counts().values())
    assert seen[-1] == (total, total)


def test_a_store_cannot_be_copied_onto_itself(demo_store):
    with pytest.raises(NetmapError, match="same store"):
        sync(demo_store, demo_store)


def test_a_record_that_no_longer_validates_stops_the_copy_before_anything_is_written(
    demo_store, laptop
):
    # A record stored before its sector was removed from the taxonomy.
    with sqlite3.connect(demo_store.path) as connection:
        connection.execute(
            "UPDATE institutions SET sector = 'astrology' WHERE id = 'gr-thessaloniki-arsis'"
        )
    with pytest.raises(ValidationFailed, match="gr-thessaloniki-arsis") as raised:
        sync(demo_store, laptop)
    assert raised.value.problems[0].file == "institutions"
    assert raised.value.problems[0].field == "sector"
    assert set(laptop.counts().values()) == {0}


def test_a_copy_that_does_not_verify_is_reported(demo_store, laptop, monkeypatch):
    # Another editor deletes a contact between the copy and the check.
    write = laptop.write

    def write_then_someone_deletes(batch, progress=None):
        plan = write(batch, progress)
        laptop.delete(RecordKind.CONTACT, laptop.list(RecordKind.CONTACT)[0].id)
        return plan

    monkeypatch.setattr(laptop, "write", write_then_someone_deletes)
    with pytest.raises(SyncMismatch, match=r"1 contacts missing .*run the sync again"):
        sync(demo_store, laptop)


# --- the command ------------------------------------------------------------------------


def test_netmap_sync_copies_between_two_files_and_says_the_counts_were_verified(
    demo_store, tmp_path
):
    target = tmp_path / "copy.db"
    result = CliRunner().invoke(
        app, ["sync", "--from", demo_store.url, "--to", f"sqlite:///{target}"]
    )
    assert result.exit_code == 0, result.output
    assert "counts verified" in result.stdout
    assert SQLiteStore(target).counts() == demo_store.counts()


def test_netmap_sync_json_reports_the_plan_and_counts(demo_store, tmp_path):
    target = f"sqlite:///{tmp_path / 'copy.db'}"
    result = CliRunner().invoke(app, ["sync", "--from", demo_store.url, "--to", target, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["target"] == target
    assert report["counts"]["institutions"] == demo_store.counts()[RecordKind.INSTITUTION]


def test_netmap_sync_dry_run_creates_the_target_but_writes_no_record(demo_store, tmp_path):
    target = tmp_path / "copy.db"
    result = CliRunner().invoke(
        app, ["sync", "--from", demo_store.url, "--to", f"sqlite:///{target}", "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "nothing was written" in result.stdout
    assert set(SQLiteStore(target).counts().values()) == {0}


def test_netmap_sync_from_a_missing_file_says_so_and_creates_nothing(tmp_path):
    missing, target = tmp_path / "typo.db", tmp_path / "copy.db"
    result = CliRunner().invoke(
        app, ["sync", "--from", f"sqlite:///{missing}", "--to", f"sqlite:///{target}"]
    )
    assert result.exit_code == 1
    assert (
        result.stderr.strip() == f"error: sqlite:///{missing}: there is no store file to copy from"
    )
    assert not missing.exists() and not target.exists()


def test_a_viewer_may_not_copy_the_network_out_with_its_contacts(demo_store, tmp_path):
    demo_store.save_account(Account(name="vera", role="viewer"))
    target = tmp_path / "copy.db"
    result = CliRunner().invoke(
        app, ["--user", "vera", "sync", "--from", demo_store.url, "--to", f"sqlite:///{target}"]
    )
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("error: vera is a viewer and may not see contacts'")
    assert not target.exists()
