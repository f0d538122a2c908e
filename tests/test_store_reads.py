"""Commands that read only what their answer needs give the answers a whole snapshot gave.

Each command is run twice through the real entry point on the same store: as it reads
now (``GraphStore.columns``, ``GraphStore.tally``, the store's search table) and with
those reads answered from a whole snapshot, as every command read before. The ``--json``
outputs must be the same bytes, on the demo network and on a generated network of 1,000
institutions, in SQLite and (with a server) in Neo4j.
"""

from __future__ import annotations

import os
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
    language = list(args[:2]) if args[:1] == ("--lang",) else []
    args = args[len(language) :]
    result = CliRunner().invoke(app, [*language, "--store", url, *args], catch_exceptions=False)
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
    places = network.institutions.groupby(["country", "city"]).size().sort_values()
    (country, city), (other_country, other_city) = places.index[-1], places.index[-2]
    return [
        ["stats"],
        ["gaps", "--city", city, "--country", country],
        ["gaps", "--city", other_city, "--stale-months", "3", "--include-modelled"],
        ["gaps", "--country", other_country],
        ["gaps"],
        ["find-contact", "--from", ids[0], "--country", other_country],
        [
            "find-contact",
            "--from",
            ids[1],
            "--country",
            country,
            "--city",
            city,
            "--service",
            "shelter",
            "--language",
            "en",
            "--include-modelled",
        ],
        [
            "find-contact",
            "--from",
            ids[2],
            "--country",
            other_country,
            "--sector",
            "police",
            "--limit",
            "5",
        ],
        ["metrics"],
        ["metrics", "--country", countries[0], "--implied", "--include-modelled"],
        *(["path", a, b] for a, b in pairs),
        *(["path", a, b, "--include-modelled"] for a, b in pairs[:2]),
    ]


def url_of(store) -> str:
    """The URL to give ``netmap --store`` for ``store`` (a server's with its password)."""
    if isinstance(store, Neo4jStore):
        return os.environ["NETMAP_TEST_NEO4J_URI"]
    return store.url


def check_same_answers(url: str, network: Network, as_before) -> None:
    commands = commands_for(network)
    now = answers(url, commands)
    as_before()
    before = answers(url, commands)
    for command, new, old in zip(commands, now, before, strict=True):
        assert new == old, f"netmap {' '.join(command)} --json answers differently"


def test_commands_answer_as_from_a_whole_snapshot_on_the_demo(any_demo_store, as_before):
    check_same_answers(url_of(any_demo_store), any_demo_store.snapshot(), as_before)


def test_readable_answers_are_those_of_a_whole_snapshot_in_every_script(demo_store, as_before):
    commands = [
        [*language, *command]
        for language in ([], ["--lang", "sr"], ["--lang", "el"])
        for command in commands_for(demo_store.snapshot())
    ]
    now = [run(demo_store.url, *command) for command in commands]
    as_before()
    before = [run(demo_store.url, *command) for command in commands]
    for command, new, old in zip(commands, now, before, strict=True):
        assert new == old, f"netmap {' '.join(command)} answers differently"


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
    check_same_answers(url_of(neo4j_empty_store), neo4j_empty_store.snapshot(), as_before)


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


# --- search --------------------------------------------------------------------------


def queries_for(network: Network) -> list[str]:
    """Queries a person would type into ``network``'s search: whole names, first words,
    prefixes, typos, local names in other scripts, single letters, a word that is in
    nothing, and several words of which some match nothing."""
    import random

    pick = random.Random(5)
    names = [
        *network.institutions["name"].dropna(),
        *network.institutions["name_local"].dropna(),
        *network.institutions["acronym"].dropna(),
        *network.cities["name"].dropna(),
        *network.cities["name_local"].dropna(),
        *network.contacts["name"].dropna(),
        *network.contacts["role"].dropna(),
        *network.initiatives["name"].dropna(),
    ]
    chosen = pick.sample(names, min(len(names), 40))
    queries = ["Пловдив", "Ниш", "Nis", "Θεσσαλονίκη", "Thesaloniki", "Thess", "p", "a", "zzqx"]
    for name in chosen:
        words = name.split()
        queries.append(name)
        queries.append(words[0][:3])
        if len(words[0]) > 4:
            typo = words[0][:2] + words[0][3] + words[0][2] + words[0][4:]
            queries.append(typo)
        queries.append(f"{words[-1]} qqqzz")
    return queries


def check_same_hits(store, viewer_store=None) -> None:
    from netmap.search_index import SearchIndex, search_store

    snapshot = store.snapshot()
    index = SearchIndex.build(snapshot)
    for text in queries_for(snapshot):
        for limit, kinds in ((20, None), (3, None), (50, ["contact", "city"])):
            expected = index.search(text, limit=limit, kinds=kinds)
            assert search_store(store, text, limit=limit, kinds=kinds) == expected, text


def test_search_through_the_store_finds_what_the_whole_index_finds(any_demo_store):
    check_same_hits(any_demo_store)


def test_search_through_the_store_on_a_generated_network(generated_template):
    check_same_hits(SQLiteStore(generated_template, actor="tester"))


def test_a_viewer_searching_the_store_finds_what_the_redacted_index_finds(demo_store):
    from netmap.access import GuardedStore, Role, User
    from netmap.search_index import SearchIndex, search_store

    viewer = GuardedStore(demo_store, User("vera", Role.VIEWER))
    snapshot = viewer.snapshot()
    index = SearchIndex.build(snapshot)
    for text in ["Ana", "social worker", "police", "Пловдив", *queries_for(snapshot)[:30]]:
        expected = index.search(text, limit=20)
        found = search_store(viewer, text, limit=20)
        # pseudonyms are the same within one process
        assert found == expected, text


def same_hits_as_the_whole_index(store, texts) -> None:
    from netmap.search_index import SearchIndex, search_store

    index = SearchIndex.build(store.snapshot())
    for text in texts:
        assert search_store(store, text) == index.search(text), text


def test_search_follows_every_write(any_demo_store):
    from netmap.model import Contact, Institution

    store = any_demo_store
    store.add(
        Institution(
            id="rs-nis-zvezdica",
            name="Zvezdica Shelter",
            name_local="Звездица",
            sector="civil_society",
            country="RS",
            city="Niš",
        )
    )
    store.add(
        Contact(id="c-zvezdica-jovana", institution_id="rs-nis-zvezdica", name="Jovana Ćirić")
    )
    valkov = store.get(RecordKind.CONTACT, "c-plovdiv-valkov")
    store.update(valkov.model_copy(update={"name": "Emil Dragomirov", "role": "Inspector"}))
    store.delete(RecordKind.INSTITUTION, "rs-novi-sad-nshc")  # and its contact
    store.erase_person("c-arsis-antitrafficking")
    texts = ["Звездица", "zvezdica", "Jovana", "Ciric", "Valkov", "Вълков", "Dragomirov",
             "inspector", "Korać", "Danijela", "ARSIS", "mailbox", "Niš"]  # fmt: skip
    same_hits_as_the_whole_index(store, texts)
    found = store.found_by({"valkov", "danijela", "mailbox", "zvezdica", "ciric"})
    assert found[RecordKind.CONTACT] == ["c-zvezdica-jovana"]
    assert found[RecordKind.INSTITUTION] == ["rs-nis-zvezdica"]


def test_a_store_made_before_the_search_table_gets_one(demo_template, tmp_path):
    import shutil
    import sqlite3

    from netmap.store.sqlite import SCHEMA_VERSION, SEARCH_OBJECTS

    path = tmp_path / "old.db"
    shutil.copy(demo_template, path)
    with sqlite3.connect(path) as connection:
        for name in sorted(SEARCH_OBJECTS - {"search_words"}):
            connection.execute(f"DROP TRIGGER {name}")
        connection.execute("DROP TABLE search_words")
        connection.execute("PRAGMA user_version = 4")
    store = SQLiteStore(path, actor="eleni")
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    assert "plovdiv" in store.search_words()
    same_hits_as_the_whole_index(store, ["Пловдив", "Ниш", "Thessaloniki", "Valkov", "arsis"])


@pytest.mark.neo4j
def test_a_neo4j_database_written_before_search_words_gets_them(neo4j_demo_store):
    from netmap.search_index import search_store

    neo4j_demo_store._driver.execute_query("MATCH (n) REMOVE n.search_text, n.search_name_text")
    neo4j_demo_store._driver.execute_query("DROP INDEX netmap_search_words")
    assert search_store(neo4j_demo_store, "Пловдив") == []  # this store checked its schema
    reopened = Neo4jStore.from_url(os.environ["NETMAP_TEST_NEO4J_URI"], actor="tester")
    try:
        same_hits_as_the_whole_index(reopened, ["Пловдив", "Ниш", "Valkov", "arsis"])
    finally:
        reopened.close()


def test_a_route_is_the_path_and_the_steps_each_would_give(generated_template):
    from netmap.analysis.pathways import introduction_path, introduction_route, path_steps

    network = SQLiteStore(generated_template).snapshot()
    ids = sorted(network.institutions["id"])
    for a, b in [(ids[0], ids[-1]), (ids[3], ids[400]), (ids[7], ids[7]), (ids[9], ids[10])]:
        for modelled in (False, True):
            path = introduction_path(network, a, b, include_modelled=modelled)
            steps = path_steps(network, path, include_modelled=modelled)
            assert introduction_route(network, a, b, include_modelled=modelled) == (path, steps)
