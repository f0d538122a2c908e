"""Erasure on a Neo4j server: what ``netmap person erase`` leaves in the server's files,
and the administrator's procedure (docs/neo4j.md) after which nothing of the person is
left.

A server of the test's own keeps its files in the test's folder, so the test reads them
byte by byte. The person's values are long and distinctive: Neo4j keeps short strings
packed in fewer bits than UTF-8 (a byte search would miss them even where they are), long
ones as UTF-8 in its string store.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import require_neo4j
from neo4j_server import Neo4jServer
from typer.testing import CliRunner

from netmap.accounts import _hash
from netmap.cli import app
from netmap.io import import_into
from netmap.model import Contact, RecordKind
from netmap.resources import data_file
from netmap.store.base import Account
from netmap.store.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j

runner = CliRunner()
PERSON = "c-erasure-probe"
NAME = "Zenobia Erasure-Probe Quellhorst-Vandermeulen"
EMAIL = "zenobia.erasure.probe.quellhorst@example.org"
PHONE = "+381 21 555 0199 ext. 4242 (mobile, probe)"
TRACES = [NAME, EMAIL, PHONE, "Quellhorst", "zenobia.erasure"]


def traces_in(server: Neo4jServer) -> dict[str, list[str]]:
    """Which of the person's values each of the server's files holds, by relative path."""
    found = {}
    for path in server.files():
        data = path.read_bytes()
        hits = [trace for trace in TRACES if trace.encode("utf-8") in data]
        if hits:
            found[path.relative_to(server.home).as_posix()] = hits
    return found


@pytest.fixture
def server_with_the_person(tmp_path):
    """A server of its own with the demo network and the person, checkpointed to disk."""
    require_neo4j()  # where live servers are expected (CI), never skipped
    server = Neo4jServer(home=tmp_path / "neo4j")
    server.start()
    store = Neo4jStore.from_url(server.uri, actor="erasure-test")
    import_into(store, data_file("demo"))
    store.add(
        Contact(
            id=PERSON,
            institution_id="rs-novi-sad-nshc",
            name=NAME,
            email=EMAIL,
            legal_basis="consent",
        )
    )
    store.update(store.get(RecordKind.CONTACT, PERSON).model_copy(update={"phone": PHONE}))
    # a real hash: a restore refuses a malformed one
    store.save_account(Account("eleni", "admin", password_hash=_hash("a long enough secret")))
    store.close()
    server.stop()  # a clean stop checkpoints: the values reach the store files too
    server.start()
    yield server
    server.stop()  # a test that failed part-way may have left it running


def test_erasure_leaves_values_in_free_store_space_and_logs_until_the_documented_procedure(
    server_with_the_person, tmp_path
):
    server = server_with_the_person
    before = traces_in(server)
    assert any("propertystore.db.strings" in path for path in before), before

    erased = runner.invoke(app, ["--store", server.uri, "person", "erase", PERSON, "--yes"])
    assert erased.exit_code == 0, erased.output
    store = Neo4jStore.from_url(server.uri, actor="erasure-test")
    assert store.existing_ids(RecordKind.CONTACT, {PERSON}) == set()
    assert NAME not in repr([change.fields for change in store.changes(limit=None)])
    network = store.snapshot()
    store.close()
    server.stop()  # checkpoint: whatever the erasure changed is on disk now

    # What the documentation says remains: the deleted records' bytes in the string store
    # (Neo4j marks them free, it does not overwrite them) and the transactions that wrote
    # and changed them in the transaction log. No other file holds any of it.
    left = traces_in(server)
    strings = "data/databases/neo4j/neostore.propertystore.db.strings"
    logs = [path for path in left if path.startswith("data/transactions/neo4j/")]
    assert set(left) == {strings, *logs}, left
    assert {NAME, EMAIL} <= set(left[strings])
    assert logs and all({NAME, EMAIL, PHONE} <= set(left[path]) for path in logs)

    # docs/neo4j.md, "Completing an erasure on your own server": 1. a backup, 2. stop the
    # server, 3. delete the database's store and transaction logs, 4. start it (an empty
    # database), 5. restore the backup into it.
    server.start()
    backup = tmp_path / "after-erasure.json"
    made = runner.invoke(app, ["--store", server.uri, "backup", str(backup)])
    assert made.exit_code == 0, made.output
    server.stop()
    shutil.rmtree(server.home / "data" / "databases" / "neo4j")
    shutil.rmtree(server.home / "data" / "transactions" / "neo4j")
    server.start()
    restored = runner.invoke(app, ["--store", server.uri, "restore", str(backup), "--yes"])
    assert restored.exit_code == 0, restored.output
    store = Neo4jStore.from_url(server.uri, actor="erasure-test")
    again = store.snapshot()
    assert [account.name for account in store.accounts()] == ["eleni"]
    store.close()
    for kind in network.tables:
        columns = [c for c in network[kind].columns if c not in ("updated_at", "version")]
        assert network[kind][columns].equals(again[kind][columns]), kind
    server.stop()  # checkpoint, so that the files hold everything there is

    assert traces_in(server) == {}
    assert not any(trace in backup.read_text("utf-8") for trace in TRACES)
