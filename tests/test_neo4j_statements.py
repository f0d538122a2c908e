"""Every file in queries/ runs live on Neo4j: the store's own statements through the
store's API on the demo network, the schema on first use, and the statements for people
(``queries/explore/``), each of which must return rows on the demo.

The test drives every statement itself, so it does not depend on which other tests ran or
in which order; ``Neo4jStore.statements_run`` counts what the server accepted. The
session's own count is printed at the end of every run with a live server (conftest).
"""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import require_neo4j

from netmap.analysis.pathways import introduction_path
from netmap.graph import institution_graph
from netmap.model import RECORD_KINDS, Contact, Institution, Participation, RecordKind, Tie
from netmap.store import cypher
from netmap.store.base import Account, ImportEntry, RecordSet, dependents
from netmap.store.neo4j import Neo4jSettings, Neo4jStore, schema_element_name
from netmap.taxonomy import load_taxonomy

pytestmark = pytest.mark.neo4j

PERSON = "c-nshc-korac-mandic"
#: Explore statements that rightly find nothing on the demo network, and why. Each is
#: checked against netmap's own analysis here, and on a network where it finds rows below.
EMPTY_ON_THE_DEMO: dict[str, str] = {}


def introducing_kinds() -> list[str]:
    return sorted(load_taxonomy().introducing_tie_kinds)


def explore_parameters(network) -> dict[str, dict]:
    """Parameters for each explore statement that takes some, chosen from the demo."""
    return {
        "introduction_path": {
            "from": "gr-thessaloniki-arsis", "to": "ro-tdh", "kinds": introducing_kinds(),
        },
        "sector_coverage_by_city": {
            "expected": list(load_taxonomy().local_networks["RS"].expected_sectors)
        },
    }  # fmt: skip


def an_institution_with_every_dependent(store: Neo4jStore, network) -> str:
    """An institution with contacts, ties both ways and participations: one of the demo's,
    given what it lacks of them (the demo holds no such institution of its own)."""
    chosen, other = sorted(network.institutions["id"])[:2]
    participations = network.participations
    taken = set(participations["initiative_id"][participations["institution_id"] == chosen])
    initiative = next(i for i in network.initiatives["id"] if i not in taken)
    store.add(Contact(id="c-test-everything", institution_id=chosen, name="Test Person"))
    store.add(Tie(id="t-test-out", source_id=chosen, target_id=other, kind="referral"))
    store.add(Tie(id="t-test-in", source_id=other, target_id=chosen, kind="referral"))
    store.add(Participation(institution_id=chosen, initiative_id=initiative))
    for kind, column in dependents(RecordKind.INSTITUTION):
        assert chosen in set(store.snapshot()[kind][column]), (kind, column)
    return chosen


def changed_copy(records: RecordSet) -> RecordSet:
    """``records`` with the first record of each kind changed in its ``source``."""
    changed = RecordSet()
    for kind in RECORD_KINDS:
        changed[kind] = records.records[kind][:]  # a copy: the fixture stays as it is
        first = records.records[kind][0]
        changed.records[kind][0] = first.model_copy(update={"source": "changed by the test"})
    return changed


def drive_every_store_statement(store: Neo4jStore, demo_records) -> None:
    """Use every part of the store's API once, on the demo network."""
    store.erase_everything()
    store.write(demo_records)  # every record new: the create_* statements
    # one of each kind changed (upsert_*), as an import of a file (log_import)
    store.write(changed_copy(demo_records), imported=ImportEntry("demo.zip", "0" * 64))
    store.imports()
    store.imports("demo.zip")
    store.plan(demo_records)
    store.revision()
    store.counts()
    network = store.snapshot()
    store.outline()
    for kind in RECORD_KINDS:
        first = network[kind]["id"].iloc[0]
        store.get(kind, first)
        store.list(kind)
        store.existing_ids(kind, {first, "missing"})
        store.get_many(kind, [first, "missing"])
        store.field_changes(kind, [first, "missing"])
        record = store.get(kind, first)
        store.update(record)  # unchanged: locked and compared, nothing written

    # The narrow reads: some columns, counts by value, search.
    for kind in RECORD_KINDS:
        store.columns({kind: ["id"]})
        store.tally(kind, "id")
    words = store.search_words()
    store.search_words(personal=False)
    store.search_network(set(words[:20]))
    store.found_by(set(words[:20]), personal=False)
    store.records_where(RecordKind.CONTACT, "institution_id", ["gr-thessaloniki-arsis"])
    # A database written before the search words: they are filled in.
    store._driver.execute_query("MATCH (n:City) REMOVE n.search_text")
    store._fill_search_words()

    store.changes()
    store.changes(limit=None)
    store.changes(record_id="gr-thessaloniki-arsis")
    store.changes(record_id="gr-thessaloniki-arsis", limit=None)
    store.erase_person(PERSON)

    # Deleting an institution reads and deletes each kind that refers to it; then one
    # record of every kind goes, dependents first.
    store.delete(RecordKind.INSTITUTION, an_institution_with_every_dependent(store, network))
    for kind in reversed(RECORD_KINDS):
        remaining = store.list(kind)
        store.delete(kind, remaining[0].id, version=remaining[0].version)

    store.save_account(Account("eleni", "editor", password_hash="$argon2id$x"))
    store.accounts()
    store.remove_account("eleni")


def drop_netmaps_schema(store: Neo4jStore) -> None:
    """Drop every constraint and index of queries/schema/, as on a new database.

    Test-only Cypher: the names come from netmap's own schema files.
    """
    with store._driver.session(database=store.settings.database) as session:
        for name in cypher.names("schema"):
            element = schema_element_name(name)
            what = "CONSTRAINT" if "/constraint_" in name else "INDEX"
            session.run(f"DROP {what} {element} IF EXISTS").consume()


def schema_names(store: Neo4jStore) -> set[str]:
    return {row["name"] for row in store._query("list_schema")}


def test_a_new_database_gets_every_constraint_and_index_on_its_first_read():
    setup = Neo4jStore.from_url(require_neo4j(), actor="schema-test")
    drop_netmaps_schema(setup)
    setup.close()
    wanted = {schema_element_name(name) for name in cypher.names("schema")}
    store = Neo4jStore(Neo4jSettings.from_url(require_neo4j()), actor="schema-test")
    try:
        assert store.revision() >= 0
        assert wanted <= schema_names(store)
    finally:
        store.close()


def test_every_statement_file_runs_live_and_every_explore_statement_finds_rows(demo_records):
    setup = Neo4jStore.from_url(require_neo4j(), actor="statement-test")
    drop_netmaps_schema(setup)  # so that first use creates each one again
    setup.close()
    before = Counter(Neo4jStore.statements_run)
    store = Neo4jStore.from_url(require_neo4j(), actor="statement-test")
    try:
        store.erase_everything()
        store.write(demo_records)
        network = store.snapshot()
        parameters = explore_parameters(network)
        empty = []
        for name in cypher.names("explore"):
            short = name.removeprefix("explore/")
            rows = store.explore(short, **parameters.get(short, {}))
            if not rows:
                empty.append(name)
        drive_every_store_statement(store, demo_records)
    finally:
        store.erase_everything()
        store.close()
    ran = Neo4jStore.statements_run - before
    never = sorted(set(cypher.names()) - set(ran))
    assert not never, f"statements in queries/ that never ran live: {never}"
    assert set(empty) == set(EMPTY_ON_THE_DEMO), (
        f"explore statements that return no rows on the demo network: {empty}"
    )


def test_the_institutions_without_ties_are_those_networkx_finds_isolated(neo4j_demo_store):
    network = neo4j_demo_store.snapshot()
    initiative = network.initiatives["id"].iloc[0]
    alone = RecordSet()
    alone.add(Institution(id="bg-sofia-alone", name="Alone", sector="health", country="BG"))
    alone.add(Participation(institution_id="bg-sofia-alone", initiative_id=initiative))
    neo4j_demo_store.write(alone)
    rows = neo4j_demo_store.explore("institutions_without_ties")
    graph = institution_graph(neo4j_demo_store.snapshot())
    assert sorted(row["id"] for row in rows) == sorted(
        node for node, degree in graph.degree if degree == 0
    )
    mine = next(row for row in rows if row["id"] == "bg-sofia-alone")
    assert mine["initiatives"] == [network.initiatives["name"].iloc[0]]


def test_the_introduction_path_for_browser_is_as_short_as_networkxs(neo4j_demo_store):
    ends = {"from": "bg-sofia-sacp", "to": "ro-tdh"}
    rows = neo4j_demo_store.explore("introduction_path", **ends, kinds=introducing_kinds())
    assert len(rows) == 1
    network = neo4j_demo_store.snapshot()
    assert rows[0]["hops"] == len(introduction_path(network, ends["from"], ends["to"])) - 1
    assert rows[0]["introductions"][0].startswith("State Agency")
    # a funder introduces nobody, in Browser as in netmap
    assert neo4j_demo_store.explore(
        "introduction_path", **{"from": "gr-thessaloniki-arsis", "to": "rs-belgrade-atina"},
        kinds=introducing_kinds(),
    ) == []  # fmt: skip


def test_an_unknown_explore_statement_is_refused(neo4j_demo_store):
    with pytest.raises(KeyError, match="no statement"):
        neo4j_demo_store.explore("../upsert_ties")
