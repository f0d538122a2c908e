"""Commands that read only what their answer needs give the answers a whole snapshot gave.

Each command is run twice through the real entry point on the same store: as it reads
now (``GraphStore.columns``, ``GraphStore.tally``, the store's search table) and with
those reads answered from a whole snapshot, as every command read before. The ``--json``
outputs must be the same bytes, on the demo network and on a generated network of 1,000
institutions, in SQLite and (with a server) in Neo4j.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netmap.cli import app
from netmap.io import import_into
from netmap.model import RECORD_KINDS, RecordKind
from netmap.store import SQLiteStore
from netmap.store.base import Network
from netmap.store.neo4j import Neo4jStore

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def generated_template(tmp_path_factory) -> Path:
    """A SQLite file holding a generated network of 1,000 institutions."""
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate

    folder = tmp_path_factory.mktemp("generated")
    generate(1000, 7, folder / "tables")
    path = folder / "generated.db"
    import_into(SQLiteStore(path, actor="fixture"), folder / "tables")
    return path


def whole_snapshot_columns(self, wanted) -> Network:
    """What every command read before: the whole snapshot, whatever it needed."""
    return self.snapshot()


def snapshot_tally(self, kind, column):
    """What ``stats`` counted before: the snapshot's column, in a Counter."""
    return Counter(self.snapshot()[kind][column]).most_common()


@pytest.fixture
def as_before(monkeypatch):
    """Make every store answer the narrow reads from a whole snapshot, as before."""

    def apply() -> None:
        for store_class in (SQLiteStore, Neo4jStore):
            monkeypatch.setattr(store_class, "columns", whole_snapshot_columns)
            monkeypatch.setattr(store_class, "tally", snapshot_tally)

    return apply


def run(url: str, *args: str) -> str:
    result = CliRunner().invoke(app, ["--store", url, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def answers(url: str, commands: list[list[str]]) -> list[str]:
    return [run(url, *command, "--json") for command in commands]


def commands_for(network: Network) -> list[list[str]]:
    """The questions to ask of ``network``: stats, metrics, paths between some of its
    institutions (near, far, unreachable)."""
    ids = sorted(network.institutions["id"])
    countries = sorted(set(network.institutions["country"]))
    pairs = [(ids[0], ids[-1]), (ids[1], ids[len(ids) // 2]), (ids[2], ids[3]), (ids[5], ids[5])]
    return [
        ["stats"],
        ["metrics"],
        ["metrics", "--country", countries[0], "--implied", "--include-modelled"],
        *(["path", a, b] for a, b in pairs),
        *(["path", a, b, "--include-modelled"] for a, b in pairs[:2]),
    ]


def check_same_answers(url: str, network: Network, as_before) -> None:
    commands = commands_for(network)
    now = answers(url, commands)
    as_before()
    before = answers(url, commands)
    for command, new, old in zip(commands, now, before, strict=True):
        assert new == old, f"netmap {' '.join(command)} --json answers differently"


def test_commands_answer_as_from_a_whole_snapshot_on_the_demo(any_demo_store, as_before):
    check_same_answers(any_demo_store.url, any_demo_store.snapshot(), as_before)


def test_commands_answer_as_from_a_whole_snapshot_on_a_generated_network(
    generated_template, tmp_path, as_before
):
    store = SQLiteStore(generated_template, actor="tester")
    check_same_answers(store.url, store.snapshot(), as_before)


@pytest.mark.neo4j
def test_commands_answer_as_from_a_whole_snapshot_on_a_generated_network_in_neo4j(
    neo4j_empty_store, generated_template, as_before
):
    neo4j_empty_store.write(SQLiteStore(generated_template).snapshot().record_set())
    check_same_answers(neo4j_empty_store.url, neo4j_empty_store.snapshot(), as_before)


def test_columns_hold_the_snapshots_values(any_demo_store):
    snapshot = any_demo_store.snapshot()
    wanted = {
        RecordKind.INSTITUTION: ("id", "services", "collective", "name_local"),
        RecordKind.TIE: ("strength", "id", "directed", "since"),
        RecordKind.CONTACT: ("languages", "focal_point"),
    }
    read = any_demo_store.columns(wanted)
    for kind in RECORD_KINDS:
        columns = list(wanted.get(kind, ()))
        if not columns:
            assert read[kind].empty
            continue
        expected = snapshot[kind][columns].to_dict("records")
        assert read[kind][columns].to_dict("records") == expected
        assert list(read[kind].columns) == columns


def test_tally_counts_as_a_counter_of_the_snapshot(any_demo_store):
    snapshot = any_demo_store.snapshot()
    for kind, column in [
        (RecordKind.INSTITUTION, "country"),
        (RecordKind.INSTITUTION, "sector"),
        (RecordKind.INSTITUTION, "city"),
        (RecordKind.TIE, "kind"),
        (RecordKind.TIE, "strength"),
    ]:
        assert any_demo_store.tally(kind, column) == Counter(snapshot[kind][column]).most_common()


def test_columns_refuse_a_name_that_is_not_a_field(any_demo_store):
    with pytest.raises(ValueError, match="no column"):
        any_demo_store.columns(
            {
                RecordKind.INSTITUTION: (
                    "id",
                    "name FROM institutions; --",
                )
            }
        )
