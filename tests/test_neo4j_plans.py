"""Indexes that serve: Neo4j's own plan (``EXPLAIN``) of every lookup by id, every upsert,
every edit and delete, and the reads that find records by a reference, is an index seek.

Each is planned twice: on an empty database (where the first import is planned, and that
plan serves the whole import, which is one transaction) and on the demo network; the query
caches are cleared first, so every plan is made afresh. A plan that starts from a label
scan, an all-nodes scan or a scan of a whole index or relationship type fails the test.

The statements that read everything (``list_*``, ``outline_*``, the explore statements
that aggregate the whole network, ``erase_everything``) scan by nature and are not held
to this. The contact finder, the gaps and the metrics run in Python on a snapshot; the
finder's own reads on the server are the lookups checked here.
"""

from __future__ import annotations

import pytest
from conftest import require_neo4j

from netmap.model import RECORD_KINDS, RecordKind
from netmap.store import cypher
from netmap.store.base import dependents
from netmap.store.neo4j import Neo4jStore, _row

pytestmark = pytest.mark.neo4j

#: Statements that read or delete everything: scans are what they are for.
READS_EVERYTHING = {
    "erase_everything",
    "list_schema",
    "list_accounts",
    "read_every_change",
    "read_imports",  # the whole import history: a few entries per file ever imported
    *(f"list_{kind.value}" for kind in RECORD_KINDS),
    *(f"outline_{kind.value}" for kind in RECORD_KINDS),
    # Some columns of every record, and counts by value: each reads a whole kind.
    *(f"read_columns_{kind.value}" for kind in RECORD_KINDS),
    *(f"tally_{kind.value}" for kind in RECORD_KINDS),
    # Every searched record's words: the vocabulary, and the records that have none yet.
    "search_vocabulary",
    "list_unsearched",
    *(name for name in cypher.names("explore") if name != "explore/introduction_path"),
}
#: Scans allowed in a statement, and why.
ALLOWED_SCANS = {
    # The newest entries first: the index on seq read backwards, stopped by LIMIT.
    "read_changes": {"NodeIndexScan"},
}
CHECKED = sorted(
    name
    for name in cypher.names()
    if not name.startswith("schema/") and name not in READS_EVERYTHING
)


def kind_of(name: str) -> RecordKind | None:
    """The record kind a per-kind statement is about (``read_ties_by_source_id``: ties)."""
    for kind in sorted(RECORD_KINDS, key=lambda k: -len(k.value)):
        if f"_{kind.value}" in name:
            return kind
    return None


def parameters_for(name: str, network) -> dict:
    """Values of the right types for each parameter ``name`` declares, from ``network``."""
    kind = kind_of(name)
    first = {k: network[k].iloc[0].to_dict() for k in RECORD_KINDS if len(network[k])}
    values: dict = {}
    for parameter in cypher.parameters(name):
        if parameter == "ids":
            referenced = kind
            for other_kind in RECORD_KINDS:
                for dependent, column in dependents(other_kind):
                    if name == f"read_{dependent.value}_by_{column}":
                        referenced = other_kind
            # Statements about records of any kind (the change log's) take institutions'.
            referenced = referenced or RecordKind.INSTITUTION
            values["ids"] = [first[referenced]["id"], "missing-id"]
        elif parameter == "id":
            values["id"] = first[kind]["id"]
        elif parameter == "rows" and kind is None:  # fill_search_words: by element id
            values["rows"] = [{"element": "4:x:1", "search_text": "x", "search_name_text": None}]
        elif parameter == "rows":
            record = kind.model.model_validate(first[kind])
            values["rows"] = [_row(record, 2, "2026-01-01T00:00:00+00:00")]
        elif parameter == "entries":
            values["entries"] = [
                {"seq": 1, "action": "update", "kind": "contacts", "record_id": "c", "fields": "{}"}
            ]
        elif parameter == "kind":
            values["kind"] = RecordKind.INSTITUTION.value
        elif parameter in ("version", "revision", "limit"):
            values[parameter] = 1
        elif parameter == "from":
            values["from"] = "gr-thessaloniki-arsis"
        elif parameter == "to":
            values["to"] = "rs-nis-police"
        elif parameter in ("kinds", "expected"):  # lists of taxonomy keys
            values[parameter] = ["referral"]
        elif parameter == "columns":
            values["columns"] = ["id"]
        elif parameter == "personal":
            values["personal"] = True
        else:
            values[parameter] = "x"
    return values


def operators(plan: dict) -> list[str]:
    """Every operator of a plan, the leaves (where reading starts) included."""
    found = [plan["operatorType"].split("@")[0]]
    for child in plan.get("children", []):
        found += operators(child)
    return found


def scans(store: Neo4jStore, name: str, network) -> list[str]:
    """The scan operators of the plan Neo4j makes for ``name`` now (EXPLAIN runs nothing)."""
    with store._driver.session(database=store.settings.database) as session:
        session.run("CALL db.clearQueryCaches()").consume()
        # Test-only Cypher: EXPLAIN before a statement file's own text.
        summary = session.run(
            "EXPLAIN " + cypher.statement(name).body, parameters_for(name, network)
        ).consume()
    allowed = ALLOWED_SCANS.get(name, set())
    return [op for op in operators(summary.plan) if "Scan" in op and op not in allowed]


@pytest.fixture(scope="module")
def planner(demo_records):
    """A store on the live server, and the demo's records as the parameters' source."""
    store = Neo4jStore.from_url(require_neo4j(), actor="plan-test")
    yield store, demo_records
    store.erase_everything()
    store.close()


@pytest.mark.parametrize("database", ["empty", "demo"])
def test_every_lookup_upsert_edit_and_delete_is_planned_as_an_index_seek(planner, database):
    store, demo_records = planner
    store.erase_everything()
    if database == "demo":
        store.write(demo_records)
    from netmap.store.base import Network

    network = Network.from_records(demo_records)
    bad = {name: found for name in CHECKED if (found := scans(store, name, network))}
    assert not bad, f"statements planned with scans on the {database} database: {bad}"


def test_the_record_counts_come_from_the_count_store(planner):
    store, demo_records = planner
    from netmap.store.base import Network

    network = Network.from_records(demo_records)
    assert scans(store, "count_records", network) == []
    with store._driver.session(database=store.settings.database) as session:
        plan = session.run("EXPLAIN " + cypher.statement("count_records").body).consume().plan
    assert set(operators(plan)) <= {
        "ProduceResults",
        "Projection",
        "Apply",
        "NodeCountFromCountStore",
        "RelationshipCountFromCountStore",
    }, operators(plan)
