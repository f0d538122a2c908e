"""The Neo4j store: the network on a Neo4j server (self-hosted, Docker or Aura).

The graph (see DESIGN.md, "Data model")::

    (:Institution)-[:COOPERATES_WITH {id, kind, …}]->(:Institution)    a tie
    (:Institution)-[:PARTICIPATES_IN {id, role, …}]->(:Initiative)     a participation
    (:Contact)-[:WORKS_AT]->(:Institution)
    (:Institution)-[:LOCATED_IN]->(:City)
    (:Change {seq, at, actor, action, kind, record_id, fields, revision})   the change log
    (:NetmapMeta {key: 'meta', revision, last_seq})                         bookkeeping
    (:Import {source, sha256, saved_at, at, actor, revision})                the import history
    (:Account {name, role, password_hash, email, created_at})               sign-in

Every record's fields are properties of its node or relationship, exactly the columns of
the SQLite store (``updated_at`` and ``version`` included); the relationships mirror the
references (a contact's ``institution_id``, a tie's ``source_id`` and ``target_id``), and
the write path keeps the two in step. ``place_key`` (the slug of country and city name)
is netmap's own lookup key that links institutions to cities; it is not part of a record.
A missing value is an absent property, an empty list too.

The write path:

- One explicit transaction per write (``session.execute_write``), so an import lands
  whole or not at all. The driver re-runs the transaction function on transient errors
  (deadlock, leader switch), so the function reads what it needs inside the transaction,
  and every statement MERGEs on constrained ids and SETs whole property maps: running it
  twice leaves the same graph.
- It starts by locking the one ``NetmapMeta`` node: netmap writers queue one behind the
  other, so the plan (new / updated / unchanged) read inside the transaction stays true
  until it commits, the revision is bumped once per transaction, and change numbers are
  consecutive.
- Records are written ``UNWIND $rows`` in batches of :attr:`Neo4jStore.batch_size` rows.
- An edit locks the record and checks its version (``WHERE n.version = $version``); no
  row back means someone saved first (``Conflict``) or it is gone (``NotFound``).
- A refused edit is logged (``conflict``) in a transaction of its own, as in SQLite.
- Constraints and indexes (``queries/schema/``) that are missing are created on the
  store's first use. Schema and data cannot share a transaction in Neo4j. Statements
  that find a tie or a participation by a property name its index in a hint: a plan made
  on an empty database (a first import) would otherwise scan every relationship.

What differs from SQLite, and why: ``erase_everything`` deletes in batches of implicit
transactions (so that a graph of any size can be erased) and is therefore not atomic;
``erase_person`` cannot reach the copies Neo4j keeps in its transaction logs and free
store space (see :meth:`Neo4jStore.erase_person`).

Every statement is a file in ``queries/`` loaded by name (:mod:`netmap.store.cypher`);
labels and relationship types are written in those files, one file per kind where they
differ, and listed here in :class:`NodeLabel` and :class:`RelationshipType` so that the
linter test can check each file against them. Values only ever travel as parameters.

Requires Neo4j 5.26 (the ``neo4j:5`` image) or later, or Aura: relationship uniqueness
constraints, ``COUNT {}`` and ``CALL (n) { … } IN TRANSACTIONS`` are used.
"""

from __future__ import annotations

import builtins
import itertools
import json
import logging
import os
import re
import threading
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from enum import StrEnum
from typing import Any, ClassVar, TypeVar
from urllib.parse import unquote, urlsplit

import neo4j
import pandas as pd
from neo4j import exceptions as neo4j_errors

from netmap.errors import (
    AccessDenied,
    AlreadyExists,
    Conflict,
    NetmapError,
    NotFound,
    ReferenceProblem,
    StoreUnavailable,
)
from netmap.model import RECORD_KINDS, Contact, FieldKind, Record, RecordKind, field_kinds, slug
from netmap.store import cypher
from netmap.store.address import shown_url, split_url
from netmap.store.base import (
    OUTLINE_COLUMNS,
    SEARCHED_FIELDS,
    Account,
    Change,
    FieldStamp,
    ImportEntry,
    Network,
    Plan,
    Progress,
    RecordSet,
    check_columns,
    conflict_message,
    dependents,
    erased_fields,
    expected_revision_message,
    field_stamps,
    logged_on_delete,
    most_common_first,
    partial_network,
    pseudonym,
    record_diff,
    search_network,
    search_rows,
)
from netmap.store.sqlite import now_utc
from netmap.version import __version__

log = logging.getLogger(__name__)
# The driver logs connection failures at ERROR level; with no logging configured, Python
# would print them to stderr beside netmap's own one-line message. A NullHandler keeps
# that last-resort printing off; an application's handlers still receive every record.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

T = TypeVar("T")

# --- the graph's vocabulary --------------------------------------------------------------


class NodeLabel(StrEnum):
    """Every node label netmap writes."""

    SOURCE = "Source"
    CITY = "City"
    INSTITUTION = "Institution"
    INITIATIVE = "Initiative"
    CONTACT = "Contact"
    CHANGE = "Change"
    ACCOUNT = "Account"
    IMPORT = "Import"
    META = "NetmapMeta"


class RelationshipType(StrEnum):
    """Every relationship type netmap writes."""

    COOPERATES_WITH = "COOPERATES_WITH"
    PARTICIPATES_IN = "PARTICIPATES_IN"
    WORKS_AT = "WORKS_AT"
    LOCATED_IN = "LOCATED_IN"


#: Which label or relationship type holds each kind of record.
RECORD_ELEMENT: dict[RecordKind, NodeLabel | RelationshipType] = {
    RecordKind.SOURCE: NodeLabel(RecordKind.SOURCE.label),
    RecordKind.CITY: NodeLabel(RecordKind.CITY.label),
    RecordKind.INSTITUTION: NodeLabel(RecordKind.INSTITUTION.label),
    RecordKind.INITIATIVE: NodeLabel(RecordKind.INITIATIVE.label),
    RecordKind.CONTACT: NodeLabel(RecordKind.CONTACT.label),
    RecordKind.TIE: RelationshipType.COOPERATES_WITH,
    RecordKind.PARTICIPATION: RelationshipType.PARTICIPATES_IN,
}

#: (from, relationship, to): every kind of path segment in netmap's graph.
GRAPH_SHAPE: tuple[tuple[NodeLabel, RelationshipType, NodeLabel], ...] = (
    (NodeLabel.INSTITUTION, RelationshipType.COOPERATES_WITH, NodeLabel.INSTITUTION),
    (NodeLabel.INSTITUTION, RelationshipType.PARTICIPATES_IN, NodeLabel.INITIATIVE),
    (NodeLabel.CONTACT, RelationshipType.WORKS_AT, NodeLabel.INSTITUTION),
    (NodeLabel.INSTITUTION, RelationshipType.LOCATED_IN, NodeLabel.CITY),
)

#: Properties that are netmap's bookkeeping rather than record fields.
PLACE_KEY = "place_key"
# The words a searched record is found by (SEARCHED_FIELDS, folded by netmap), in one
# text each for the full-text index: those only a contact's name holds apart, so that a
# role below member can search without them.
SEARCH_TEXT = "search_text"
SEARCH_NAME_TEXT = "search_name_text"
CHANGE_PROPERTIES = ("seq", "at", "actor", "action", "kind", "record_id", "fields", "revision")
META_PROPERTIES = ("key", "revision", "last_seq")
ACCOUNT_PROPERTIES = tuple(field.name for field in dataclass_fields(Account))
IMPORT_PROPERTIES = tuple(field.name for field in dataclass_fields(ImportEntry))

# The statements run per kind of record: f"{operation}_{kind.value}".
PER_KIND_OPERATIONS = ("read", "list", "create", "upsert", "delete", "lock")
# Ids and records read per statement. See DEFAULT_BATCH_SIZE.
_READ_BATCH = 5000


def property_keys() -> list[str]:
    """Every property key netmap's graph uses (record fields and bookkeeping)."""
    keys = {name for kind in RECORD_KINDS for name in kind.model.model_fields}
    keys |= {PLACE_KEY, SEARCH_TEXT, SEARCH_NAME_TEXT}
    keys |= {*CHANGE_PROPERTIES, *META_PROPERTIES, *ACCOUNT_PROPERTIES}
    keys |= set(IMPORT_PROPERTIES)
    return sorted(keys)


def graph_schema() -> dict[str, Any]:
    """The graph's labels, types, property keys and shape, as the Cypher linter takes them.

    This is the ``DbSchema`` of ``@neo4j-cypher/language-support``: with it, a statement
    that names a label, type or property netmap does not have, or a relationship between
    the wrong labels, gets a warning.
    """
    return {
        "labels": [label.value for label in NodeLabel],
        "relationshipTypes": [kind.value for kind in RelationshipType],
        "propertyKeys": property_keys(),
        "graphSchema": [
            {"from": start.value, "relType": rel.value, "to": end.value}
            for start, rel, end in GRAPH_SHAPE
        ],
    }


def dependents_of_any() -> set[tuple[RecordKind, str]]:
    """The (kind, column) pairs a statement reads records by (``read_{kind}_by_{column}``)."""
    return {pair for kind in RECORD_KINDS for pair in dependents(kind)}


def store_statements() -> list[str]:
    """The names of every statement the store runs (not the schema and explore folders)."""
    per_kind = [f"{op}_{kind.value}" for kind in RECORD_KINDS for op in PER_KIND_OPERATIONS]
    finds = [f"find_{kind.value}_ids" for kind in RECORD_KINDS]
    by_reference = [f"read_{other.value}_by_{column}" for other, column in dependents_of_any()]
    outlines = [f"outline_{kind.value}" for kind in OUTLINE_COLUMNS]
    narrow = [f"{op}_{kind.value}" for kind in RECORD_KINDS for op in ("read_columns", "tally")]
    search = ["search_vocabulary", "find_by_search_words", "fill_search_words", "list_unsearched"]
    fixed = [
        "lock_meta",
        "bump_revision",
        "read_revision",
        "count_records",
        "log_changes",
        "read_changes",
        "read_changes_of_record",
        "read_every_change",
        "read_every_change_of_record",
        "read_changes_of_kind_and_record",
        "read_changes_of_records",
        "scrub_changes",
        "log_import",
        "read_imports",
        "read_imports_of_source",
        "list_schema",
        "list_accounts",
        "save_account",
        "remove_account",
        "erase_everything",
    ]
    return sorted({*per_kind, *finds, *by_reference, *outlines, *narrow, *search, *fixed})


# --- connection settings -----------------------------------------------------------------

SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


@dataclass(frozen=True)
class Neo4jSettings:
    """Where a Neo4j store is and how to sign in, read from its URL and the environment.

    ``url`` is what netmap shows (it never holds the password); ``driver_uri`` is what
    the driver connects to (without user and password: the driver takes those apart).
    """

    scheme: str
    host: str
    port: int | None
    user: str | None
    password: str | None = field(repr=False)
    database: str | None
    routing_context: str = ""

    @classmethod
    def from_url(cls, url: str, environ: Mapping[str, str] | None = None) -> Neo4jSettings:
        """Read ``scheme://[user[:password]@]host[:port][/database]``.

        User, password and database missing from the URL come from
        ``NETMAP_NEO4J_USER``, ``NETMAP_NEO4J_PASSWORD`` and ``NETMAP_NEO4J_DATABASE``;
        what the URL says wins. The credentials end at the last ``@``, so a password may
        hold ``/``, ``#``, ``?`` and ``@`` as they are; percent-escapes are decoded
        (``p%40ss`` for ``p@ss``; write ``%`` as ``%25``). Raises ``StoreUnavailable`` for
        a malformed URL, naming only its scheme, host and port.
        """
        environ = os.environ if environ is None else environ
        written = split_url(url)
        shown = shown_url(url)
        if written.scheme not in SCHEMES:
            raise StoreUnavailable(
                f"{shown}: not a Neo4j URL (use {', '.join(s + '://' for s in SCHEMES)})"
            )
        parts = urlsplit(f"{written.scheme}://{written.rest}")
        try:
            port = parts.port
        except ValueError:
            raise StoreUnavailable(f"{shown}: the port is not a number") from None
        if not parts.hostname:
            raise StoreUnavailable(f"{shown}: the URL names no server (e.g. bolt://localhost)")
        path = parts.path.strip("/")
        if "/" in path:
            raise StoreUnavailable(
                f"{shown}: after the server comes at most one database name (…:7687/neo4j)"
            )
        if parts.query and parts.scheme.startswith("bolt"):
            raise StoreUnavailable(
                f"{shown}: bolt:// URLs take no ?options (routing options need neo4j://)"
            )
        user = unquote(written.user) if written.user else environ.get("NETMAP_NEO4J_USER")
        password = (
            unquote(written.password)
            if written.password is not None
            else environ.get("NETMAP_NEO4J_PASSWORD")
        )
        database = unquote(path) if path else environ.get("NETMAP_NEO4J_DATABASE")
        return cls(
            scheme=parts.scheme,
            host=parts.hostname,
            port=port,
            user=user or None,
            password=password or None,
            database=database or None,
            routing_context=parts.query,
        )

    @property
    def _address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}" if self.port else host

    @property
    def driver_uri(self) -> str:
        query = f"?{self.routing_context}" if self.routing_context else ""
        return f"{self.scheme}://{self._address}{query}"

    @property
    def shown(self) -> str:
        """The server as error messages name it: scheme, host and port, nothing else."""
        return f"{self.scheme}://{self._address}"

    @property
    def url(self) -> str:
        """The URL as shown to people: user and database, never the password."""
        user = f"{self.user}@" if self.user else ""
        database = f"/{self.database}" if self.database else ""
        return f"{self.scheme}://{user}{self._address}{database}"

    @property
    def auth(self) -> tuple[str, str] | None:
        """Basic auth when a password is known (user ``neo4j`` unless named), else none."""
        if self.password is None:
            return None
        return (self.user or "neo4j", self.password)


def retry_seconds(environ: Mapping[str, str] | None = None) -> float:
    """Seconds to keep retrying a write or read the server could not serve (default 30).

    ``NETMAP_NEO4J_RETRY_SECONDS`` changes it: lower for a quick answer when the server
    is down (the tests that stop one), higher to ride out a longer restart.
    """
    environ = os.environ if environ is None else environ
    try:
        return max(0.0, float(environ.get("NETMAP_NEO4J_RETRY_SECONDS", "30")))
    except ValueError:
        raise StoreUnavailable(
            "NETMAP_NEO4J_RETRY_SECONDS must be a number of seconds, e.g. 30"
        ) from None


# --- reading and writing records -----------------------------------------------------------


_LIST_FIELDS = {
    kind: frozenset(
        name for name, held in field_kinds(kind.model).items() if held is FieldKind.LIST
    )
    for kind in RECORD_KINDS
}


def _record(kind: RecordKind, properties: Mapping[str, Any]) -> Record:
    """Turn stored properties into a record: absent fields are None, absent lists empty."""
    values: dict[str, Any] = {}
    for name in kind.model.model_fields:
        value = properties.get(name)
        if value is None and name in _LIST_FIELDS[kind]:
            value = []
        values[name] = value
    return kind.model.model_construct(**values)


def _row(record: Record, version: int, at: str) -> dict[str, Any]:
    """The properties to store for ``record``: its fields, bookkeeping and place_key.

    None and empty lists are left out: a property that is absent reads back as None (or
    an empty list), the same as in the SQLite store.
    """
    values = record.model_dump()
    values.update(version=version, updated_at=at)
    kind = record.record_kind
    if kind is RecordKind.CITY:
        values[PLACE_KEY] = slug(values["country"], values["name"])
    elif kind is RecordKind.INSTITUTION:
        values[PLACE_KEY] = slug(values["country"], values["city"]) if values["city"] else None
    if kind in SEARCHED_FIELDS:
        values.update(_search_texts(kind, values))
    return {key: value for key, value in values.items() if value is not None and value != []}


def _search_texts(kind: RecordKind, values: Mapping[str, Any]) -> dict[str, str | None]:
    """The search properties of a record of ``kind`` with these field ``values``."""
    columns = ["id", *SEARCHED_FIELDS[kind]]
    row = [values.get(name) for name in columns]
    public: list[str] = []
    named: list[str] = []
    for word, _, _, personal in search_rows(kind, columns, [row]):
        (named if personal else public).append(word)
    return {SEARCH_TEXT: " ".join(public) or None, SEARCH_NAME_TEXT: " ".join(named) or None}


def _missing_reference(record: Record, column: str, target: RecordKind, value: str) -> str:
    return (
        f"{record.record_kind.label.lower()} {record.id!r}: {column} refers to "
        f"{target.label.lower()} {value!r}, which does not exist"
    )


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# A change-log entry before it is written: (action, kind, record id, fields).
# The kind is a table name for entries about something else than a record ("accounts").
Entry = tuple[str, RecordKind | str, str, dict[str, Any]]

# Rows per UNWIND statement when writing, chosen from bench/RESULTS.md ("Neo4j beside
# SQLite"): the import of 10,000 institutions (138,000 rows, one transaction) on Neo4j
# 5.26 Community, the client on the same 2-core VM, in two runs:
#
#   rows per statement     500    1,000   5,000   20,000
#   first run (s)           61      79      82      55
#   second run (s)          68      70      45      50
#   server peak (GB)       3.5     3.5     3.4     4.1    (second run)
#
# The machine was shared with other test runs, so single figures vary by a third; what
# holds across both runs is that 5,000 and 20,000 beat 500 and 1,000 (a quarter of the
# round trips or fewer), and that most of an import is the server's own work per row and
# its commit, which no batch size changes. 5,000 keeps a statement near 4 MB (an
# institution row is about 800 bytes) and the server's peak below that of 20,000.
# Neo4jStore.from_url(url, batch_size=…) overrides it.
DEFAULT_BATCH_SIZE = 5000


class Neo4jStore:
    """A network stored on a Neo4j server. See :class:`netmap.store.base.GraphStore`.

    One driver per store (it pools connections and is safe to share between threads);
    a session per operation. Open one with :meth:`from_url`.
    """

    #: How often each statement of ``queries/`` ran in this process, by name, counted once
    #: the server accepted it (shared by every store: the tests check that each file ran
    #: live, the benchmarks count round trips).
    statements_run: ClassVar[Counter[str]] = Counter()

    def __init__(
        self,
        settings: Neo4jSettings,
        actor: str = "netmap",
        batch_size: int = DEFAULT_BATCH_SIZE,
    ):
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.settings = settings
        self.url = settings.url
        self.actor = actor
        self.batch_size = batch_size
        self._database = settings.database
        self._schema_ready = False
        self._schema_lock = threading.Lock()
        with self._errors():
            self._driver = neo4j.GraphDatabase.driver(
                settings.driver_uri,
                auth=settings.auth,
                user_agent=f"netmap/{__version__}",
                connection_timeout=15.0,
                # How long the driver keeps running a transaction again after a
                # transient error or a lost server (a restart, a cluster leader switch)
                # before netmap reports it; the driver's own default is 30 s.
                max_transaction_retry_time=retry_seconds(),
                # Labels and properties that do not exist yet are expected in a new
                # database; every statement is checked by the linter instead.
                notifications_disabled_classifications=[
                    neo4j.NotificationDisabledClassification.UNRECOGNIZED
                ],
            )

    @classmethod
    def from_url(
        cls,
        url: str,
        actor: str = "netmap",
        batch_size: int = DEFAULT_BATCH_SIZE,
        environ: Mapping[str, str] | None = None,
    ) -> Neo4jStore:
        """Connect to the store at ``url`` and check that it answers.

        Credentials and database come from the URL or the environment (see
        :meth:`Neo4jSettings.from_url`). Raises ``StoreUnavailable`` naming the URL
        (without password) and what to check when the server cannot be reached, refuses
        the user, or has no such database.
        """
        settings = Neo4jSettings.from_url(url, environ)
        log.info("opening the Neo4j store %s", settings.url)
        store = cls(settings, actor=actor, batch_size=batch_size)
        try:
            with store._errors():
                store._driver.verify_connectivity()
            store.revision()  # the first query tells whether the database exists
        except BaseException:
            store.close()
            raise
        return store

    def __repr__(self) -> str:
        return f"Neo4jStore({self.url!r}, actor={self.actor!r})"

    def close(self) -> None:
        """Close the driver and its connections."""
        self._driver.close()

    # --- running statements ----------------------------------------------------------------

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn the driver's errors into netmap errors: one line, the URL, what to check."""
        try:
            yield
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
            translated = translate_error(exc, self.settings)
            if translated is None:
                raise  # a bug in netmap (a statement the server rejects): keep the traceback
            raise translated from exc

    def _run(self, tx: neo4j.ManagedTransaction, name: str, /, **params: Any) -> list[Any]:
        """Run the statement ``name`` in ``tx`` and return its records.

        ``name`` is positional-only: a statement may take a ``$name`` parameter of its own
        (``save_account`` does).
        """
        _check_parameters(name, params)
        try:
            records = list(tx.run(cypher.query(name), params))
        except neo4j_errors.TransientError as exc:
            if "OutOfMemory" in (exc.code or ""):
                # The driver would run the whole write again (it counts this error as
                # transient), only to fill the same memory: say so now instead.
                raise StoreUnavailable(
                    f"{self.url}: {_TOO_LARGE.format(detail=_first_line(exc))}"
                ) from exc
            raise
        self.statements_run[name] += 1
        return records

    def _read(self, work: Callable[[neo4j.ManagedTransaction], T]) -> T:
        self.ensure_schema()
        with self._errors(), self._session() as session:
            return session.execute_read(work)

    def _write(self, work: Callable[[neo4j.ManagedTransaction], T]) -> T:
        self.ensure_schema()
        with self._errors(), self._session() as session:
            return session.execute_write(work)

    def _session(self) -> neo4j.Session:
        # The bookmark manager of execute_query: a read that follows a write through
        # execute_query sees that write, on a cluster too.
        return self._driver.session(
            database=self._database,
            bookmark_manager=self._driver.execute_query_bookmark_manager,
        )

    def _query(self, name: str, /, **params: Any) -> list[Any]:
        """Run a read-only statement on its own (routed to a reader on a cluster)."""
        _check_parameters(name, params)
        self.ensure_schema()
        with self._errors():
            records = self._driver.execute_query(
                cypher.query(name),
                parameters_=params,
                database_=self._database,
                routing_=neo4j.RoutingControl.READ,
            ).records
        self.statements_run[name] += 1
        return records

    def explore(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run the statement ``queries/explore/NAME.cypher`` and return its rows as dicts.

        The same statements people paste into Neo4j Browser (``queries/README.md``), with
        the parameters their headers name, e.g.
        ``store.explore("introduction_path", **{"from": a, "to": b})``. Read-only.
        """
        if name not in {n.removeprefix("explore/") for n in cypher.names("explore")}:
            raise KeyError(f"there is no statement queries/explore/{name}.cypher")
        return [record.data() for record in self._query(f"explore/{name}", **params)]

    # --- schema ----------------------------------------------------------------------------

    def ensure_schema(self) -> None:
        """Create netmap's constraints and indexes (``queries/schema/``) that are missing.

        Run on the store's first use, read or write: some statements name an index in a
        hint, which Neo4j refuses to plan without it. Only the missing ones are created
        (``list_schema`` names those present), so a user who may not change the schema
        works once an administrator has run the files. Each is its own transaction: Neo4j
        does not mix schema and data changes in one.
        """
        if self._schema_ready:
            return
        with self._schema_lock:
            if self._schema_ready:
                return
            _check_parameters("list_schema", {})
            try:
                with self._errors():
                    present = {
                        record["name"]
                        for record in self._driver.execute_query(
                            cypher.query("list_schema"),
                            database_=self._database,
                            routing_=neo4j.RoutingControl.READ,
                        ).records
                    }
            except AccessDenied:
                # A user who may not even list the schema (Enterprise roles) may not
                # create it either: trust that an administrator ran queries/schema/.
                self._schema_ready = True
                return
            self.statements_run["list_schema"] += 1
            for name in cypher.names("schema"):
                if schema_element_name(name) in present:
                    continue
                _check_parameters(name, {})
                with self._errors():
                    self._driver.execute_query(cypher.query(name), database_=self._database)
                self.statements_run[name] += 1
            if schema_element_name("schema/index_search_words") not in present:
                self._fill_search_words()
            self._schema_ready = True

    def _fill_search_words(self) -> None:
        """Give the records of a database written before netmap kept search words theirs
        (once: when the search index is first created)."""
        kind_of_label = {RECORD_ELEMENT[kind].value: kind for kind in SEARCHED_FIELDS}

        def work(tx: neo4j.ManagedTransaction) -> None:
            rows = []
            for found in self._run(tx, "list_unsearched"):
                label = next(name for name in found["labels"] if name in kind_of_label)
                record = dict(found["record"])
                rows.append(
                    {"element": found["element"]} | _search_texts(kind_of_label[label], record)
                )
            for part in _chunks(rows, self.batch_size):
                self._run(tx, "fill_search_words", rows=list(part))

        with self._errors(), self._session() as session:
            session.execute_write(work)

    # --- reads -----------------------------------------------------------------------------

    def revision(self) -> int:
        return int(self._query("read_revision")[0]["revision"])

    def counts(self) -> dict[RecordKind, int]:
        record = self._query("count_records")[0]
        return {kind: int(record[kind.value]) for kind in RECORD_KINDS}

    def _fetch(
        self, tx: neo4j.ManagedTransaction, kind: RecordKind, ids: Iterable[str]
    ) -> dict[str, Record]:
        found: dict[str, Record] = {}
        for chunk in _chunks(list(dict.fromkeys(ids)), _READ_BATCH):
            for row in self._run(tx, f"read_{kind.value}", ids=list(chunk)):
                record = _record(kind, row["record"])
                found[record.id] = record
        return found

    def _existing(
        self, tx: neo4j.ManagedTransaction, kind: RecordKind, ids: Iterable[str]
    ) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(list(dict.fromkeys(ids)), _READ_BATCH):
            found.update(
                row["id"] for row in self._run(tx, f"find_{kind.value}_ids", ids=list(chunk))
            )
        return found

    def existing_ids(self, kind: RecordKind, ids: set[str] | Sequence[str]) -> set[str]:
        return self._read(lambda tx: self._existing(tx, kind, ids))

    def get(self, kind: RecordKind, record_id: str) -> Record:
        record = self._read(lambda tx: self._fetch(tx, kind, [record_id])).get(record_id)
        if record is None:
            raise NotFound(f"there is no {kind.label.lower()} with id {record_id!r}")
        return record

    def get_many(self, kind: RecordKind, ids: Iterable[str]) -> dict[str, Record]:
        wanted = list(dict.fromkeys(ids))

        def read(tx: neo4j.ManagedTransaction) -> dict[str, Record]:
            # A kind with no record yet needs no lookup (see _plan).
            if not wanted or not self._run(tx, "count_records")[0][kind.value]:
                return {}
            return self._fetch(tx, kind, wanted)

        return self._read(read)

    def field_changes(
        self, kind: RecordKind, ids: Iterable[str]
    ) -> dict[str, dict[str, FieldStamp]]:
        wanted = list(dict.fromkeys(ids))

        def read(tx: neo4j.ManagedTransaction) -> list[tuple[str, str, str, str, int, str]]:
            entries = []
            for chunk in _chunks(wanted, _READ_BATCH):
                rows = self._run(tx, "read_changes_of_records", kind=kind.value, ids=list(chunk))
                entries += [
                    (r["record_id"], r["action"], r["fields"], r["at"], r["revision"], r["actor"])
                    for r in rows
                ]
            return entries

        # Chunks come back each oldest first; a record's entries are all in its own chunk.
        return field_stamps(kind, self._read(read))

    def imports(self, source: str | None = None) -> list[ImportEntry]:
        rows = (
            self._query("read_imports")
            if source is None
            else self._query("read_imports_of_source", source=source)
        )
        return [
            ImportEntry(**{key: row["import"].get(key) for key in IMPORT_PROPERTIES})
            for row in rows
        ]

    def list(self, kind: RecordKind) -> list[Record]:
        rows = self._query(f"list_{kind.value}")
        return [_record(kind, row["record"]) for row in rows]

    def snapshot(self) -> Network:
        """Return the whole network, read in one transaction."""

        def read_all(tx: neo4j.ManagedTransaction) -> dict[RecordKind, list[dict[str, Any]]]:
            return {
                kind: [
                    _record(kind, row["record"]).model_dump()
                    for row in self._run(tx, f"list_{kind.value}")
                ]
                for kind in RECORD_KINDS
            }

        return Network.from_rows(self._read(read_all))

    def outline(self) -> Network:
        """Return the network's outline (see :class:`Network`), read in one transaction."""

        def read_outline(tx: neo4j.ManagedTransaction) -> dict[RecordKind, list[list[Any]]]:
            # Each statement returns one row: a list of values per record, in the order of
            # OUTLINE_COLUMNS (the contract test compares the outline with the snapshot).
            return {
                kind: self._run(tx, f"outline_{kind.value}")[0]["rows"] for kind in OUTLINE_COLUMNS
            }

        rows = self._read(read_outline)
        return Network.outline_of(
            {
                kind: pd.DataFrame(rows[kind], columns=list(columns), dtype=object)
                for kind, columns in OUTLINE_COLUMNS.items()
            }
        )

    def columns(self, wanted: Mapping[RecordKind, Sequence[str]]) -> Network:
        """Return only the ``wanted`` columns of the network (see
        :meth:`GraphStore.columns`), read in one transaction."""
        check_columns(wanted)

        def read_columns(tx: neo4j.ManagedTransaction) -> dict[RecordKind, list[list[Any]]]:
            return {
                kind: self._run(tx, f"read_columns_{kind.value}", columns=list(columns))[0]["rows"]
                for kind, columns in wanted.items()
            }

        rows = self._read(read_columns)
        tables = {}
        for kind, columns in wanted.items():
            frame = pd.DataFrame(rows[kind], columns=list(columns), dtype=object)
            frame = frame.astype(object).where(frame.notna(), None)
            for column in set(columns) & set(_LIST_FIELDS[kind]):
                # an absent list property reads as an empty list, as in a snapshot
                frame[column] = pd.Series(
                    [[] if value is None else value for value in frame[column]], dtype=object
                )
            tables[kind] = frame
        return partial_network(tables)

    def search_words(self, personal: bool = True) -> builtins.list[str]:
        return sorted(self._query("search_vocabulary", personal=personal)[0]["words"])

    def found_by(
        self, words: Collection[str], personal: bool = True
    ) -> dict[RecordKind, builtins.list[str]]:
        kind_of = {RECORD_ELEMENT[kind].value: kind for kind in SEARCHED_FIELDS}
        found: dict[RecordKind, set[str]] = {kind: set() for kind in SEARCHED_FIELDS}
        wanted = sorted(words)
        # Lucene takes at most 1,024 clauses in one query.
        for part in _chunks(wanted, 500):
            terms = " OR ".join(part)  # netmap's own folded words: a-z and digits
            query = f"({terms})" if personal else f"{SEARCH_TEXT}:({terms})"
            for row in self._query("find_by_search_words", query=query):
                kinds = [kind_of[label] for label in row["labels"] if label in kind_of]
                if kinds:
                    found[kinds[0]].add(row["id"])
        return {kind: sorted(ids) for kind, ids in found.items()}

    def search_network(self, words: Collection[str], personal: bool = True) -> Network:
        return search_network(self, words, personal)

    def records_where(
        self, kind: RecordKind, column: str, values: Iterable[Any]
    ) -> builtins.list[Record]:
        if (kind, column) not in dependents_of_any():
            raise ValueError(f"no statement reads {kind.value} by {column}")
        wanted = list(dict.fromkeys(values))
        found: dict[str, Record] = {}

        def read(tx: neo4j.ManagedTransaction) -> None:
            for part in _chunks(wanted, _READ_BATCH):
                for row in self._run(tx, f"read_{kind.value}_by_{column}", ids=list(part)):
                    record = _record(kind, row["record"])
                    found[record.id] = record

        self._read(read)
        return [found[record_id] for record_id in sorted(found)]

    def tally(self, kind: RecordKind, column: str) -> builtins.list[tuple[Any, int]]:
        check_columns({kind: [column]})
        rows = self._query(f"tally_{kind.value}", column=column)
        counted = [(row["value"], row["records"], row["first"]) for row in rows]
        if column in _LIST_FIELDS[kind]:
            # an absent list property is an empty list, as in a snapshot
            counted = [([] if value is None else value, n, first) for value, n, first in counted]
        return most_common_first(counted)

    def changes(
        self, record_id: str | None = None, limit: int | None = 200
    ) -> builtins.list[Change]:
        # LIMIT takes no null, hence a statement without LIMIT for "all of them".
        if record_id is None:
            rows = (
                self._query("read_every_change")
                if limit is None
                else self._query("read_changes", limit=limit)
            )
        elif limit is None:
            rows = self._query("read_every_change_of_record", record_id=record_id)
        else:
            rows = self._query("read_changes_of_record", record_id=record_id, limit=limit)
        return [
            Change(
                seq=c["seq"],
                at=c["at"],
                actor=c["actor"],
                action=c["action"],
                kind=c["kind"],
                record_id=c["record_id"],
                fields=json.loads(c["fields"]),
                revision=c["revision"],
            )
            for c in (row["change"] for row in rows)
        ]

    def _plan(
        self, tx: neo4j.ManagedTransaction, batch: RecordSet
    ) -> tuple[Plan, dict[RecordKind, dict[str, Record]]]:
        """Return what writing ``batch`` changes, and the stored records it would replace."""
        plan = Plan()
        stored_by_kind: dict[RecordKind, dict[str, Record]] = {}
        # From Neo4j's count store: a kind with no record yet needs no lookup (a first
        # import of 100,000 institutions would otherwise read 1.4 million absent ids).
        held = self._run(tx, "count_records")[0]
        for kind in RECORD_KINDS:
            records = batch.records[kind]
            stored = self._fetch(tx, kind, records.column("id")) if held[kind.value] else {}
            stored_by_kind[kind] = stored
            for record in records:
                before = stored.get(record.id)
                if before is None:
                    plan.new[kind].append(record.id)
                elif before.data() != record.data():
                    plan.updated[kind].append(record.id)
                else:
                    plan.unchanged[kind].append(record.id)
        return plan, stored_by_kind

    def plan(self, batch: RecordSet) -> Plan:
        return self._read(lambda tx: self._plan(tx, batch)[0])

    # --- writes ----------------------------------------------------------------------------

    def _check_references(
        self, tx: neo4j.ManagedTransaction, records: Iterable[Record], pending: RecordSet | None
    ) -> None:
        """Raise ``ReferenceProblem`` for the first reference to a record that does not exist."""
        in_batch = {kind: pending.ids(kind) if pending else set() for kind in RECORD_KINDS}
        wanted: dict[RecordKind, list[tuple[Record, str, str]]] = {k: [] for k in RECORD_KINDS}
        for record in records:
            for column, target in record.references.items():
                value = getattr(record, column)
                if value is None or value in in_batch[target]:
                    continue
                wanted[target].append((record, column, value))
        for target, uses in wanted.items():
            if not uses:
                continue
            existing = self._existing(tx, target, {value for _, _, value in uses})
            for record, column, value in uses:
                if value not in existing:
                    raise ReferenceProblem(_missing_reference(record, column, target, value))

    def _upsert(
        self,
        tx: neo4j.ManagedTransaction,
        kind: RecordKind,
        rows: Sequence[dict[str, Any]],
        operation: str = "upsert",
    ) -> None:
        """Write ``rows`` of ``kind``: ``upsert`` (insert or replace), or ``create`` for
        records this transaction found absent (a plain CREATE: no merge, move or unlink)."""
        if not rows:
            return
        result = self._run(tx, f"{operation}_{kind.value}", rows=list(rows))
        if result and result[0].get("written") is not None and result[0]["written"] != len(rows):
            # Ends were checked before writing and writers queue on the meta node; this
            # only happens if something outside netmap deleted one meanwhile.
            raise ReferenceProblem(
                f"{self.settings.shown}: {len(rows) - result[0]['written']} of {len(rows)} "
                f"{kind.value} refer to records that were deleted meanwhile; nothing was written"
            )

    def _delete_rows(
        self, tx: neo4j.ManagedTransaction, kind: RecordKind, ids: builtins.list[str]
    ) -> None:
        for chunk in _chunks(ids, self.batch_size):
            self._run(tx, f"delete_{kind.value}", ids=list(chunk))

    def _log(
        self, tx: neo4j.ManagedTransaction, revision: int, at: str, entries: builtins.list[Entry]
    ) -> None:
        rows = [
            {
                "action": action,
                "kind": getattr(kind, "value", kind),
                "record_id": record_id,
                "fields": json.dumps(fields, ensure_ascii=False),
            }
            for action, kind, record_id, fields in entries
        ]
        for chunk in _chunks(rows, self.batch_size):
            self._run(
                tx, "log_changes", entries=list(chunk), at=at, actor=self.actor, revision=revision
            )

    def _begin(self, tx: neo4j.ManagedTransaction) -> int:
        """Start a write: queue behind other writers; return the current revision."""
        return int(self._run(tx, "lock_meta")[0]["revision"])

    def _bump(self, tx: neo4j.ManagedTransaction) -> int:
        return int(self._run(tx, "bump_revision")[0]["revision"])

    def write(
        self,
        batch: RecordSet,
        progress: Progress | None = None,
        *,
        expected_revision: int | None = None,
        imported: ImportEntry | None = None,
    ) -> Plan:
        """Insert or update every record of ``batch`` by id, in one transaction.

        ``progress`` may go back to 0 if the driver re-runs the transaction after a
        transient error.
        """
        total = len(batch)

        def work(tx: neo4j.ManagedTransaction) -> Plan:
            current = self._begin(tx)
            if expected_revision is not None and current != expected_revision:
                raise Conflict(expected_revision_message(expected_revision, current))
            plan, stored = self._plan(tx, batch)
            if not plan.changes:
                if progress:
                    progress(total, total)
                return plan
            changed = [
                record
                for kind in RECORD_KINDS
                for ids in [{*plan.new[kind], *plan.updated[kind]}]
                for record in batch.records[kind]
                if record.id in ids
            ]
            self._check_references(tx, changed, batch)
            revision = self._bump(tx)
            at = now_utc()
            entries: list[Entry] = []
            done = 0
            for kind in RECORD_KINDS:
                new_ids, updated_ids = set(plan.new[kind]), set(plan.updated[kind])
                for part in _chunks(batch.records[kind], self.batch_size):
                    created, replaced = [], []
                    for record in part:
                        if record.id in new_ids:
                            created.append(_row(record, 1, at))
                            entries.append(("create", kind, record.id, {}))
                        elif record.id in updated_ids:
                            before = stored[kind][record.id]
                            replaced.append(_row(record, before.version + 1, at))
                            entries.append(("update", kind, record.id, record_diff(before, record)))
                    # The plan was read in this transaction, behind the meta node's lock:
                    # the new ids are still absent, so they need no MERGE.
                    self._upsert(tx, kind, created, "create")
                    self._upsert(tx, kind, replaced)
                    done += len(part)
                    if progress:
                        progress(done, total)
            self._log(tx, revision, at, entries)
            if imported is not None:
                self._run(
                    tx,
                    "log_import",
                    source=imported.source,
                    sha256=imported.sha256,
                    saved_at=imported.saved_at,
                    at=at,
                    actor=self.actor,
                    revision=revision,
                )
            return plan

        return self._write(work)

    def add(self, record: Record) -> Record:
        kind = record.record_kind

        def work(tx: neo4j.ManagedTransaction) -> Record:
            self._begin(tx)
            if self._existing(tx, kind, [record.id]):
                raise AlreadyExists(f"a {kind.label.lower()} with id {record.id!r} already exists")
            self._check_references(tx, [record], None)
            revision = self._bump(tx)
            at = now_utc()
            self._upsert(tx, kind, [_row(record, 1, at)], "create")
            self._log(tx, revision, at, [("create", kind, record.id, {})])
            return self._fetch(tx, kind, [record.id])[record.id]

        return self._write(work)

    def _lock(
        self,
        tx: neo4j.ManagedTransaction,
        kind: RecordKind,
        record_id: str,
        version: int | None,
        attempted: Record | None = None,
    ) -> Record:
        """Lock a record at ``version`` (any, when None); raise NotFound or Conflict.

        The Conflict carries the refused edit ``attempted`` as ``{field: [stored, edit]}``.
        """
        rows = self._run(tx, f"lock_{kind.value}", id=record_id, version=version)
        if rows:
            return _record(kind, rows[0]["record"])
        stored = self._fetch(tx, kind, [record_id]).get(record_id)
        if stored is None or version is None:
            raise NotFound(f"there is no {kind.label.lower()} with id {record_id!r}")
        refused = record_diff(stored, attempted) if attempted is not None else None
        raise Conflict(conflict_message(kind, stored, version), refused)

    def update(self, record: Record) -> Record:
        kind = record.record_kind

        def work(tx: neo4j.ManagedTransaction) -> Record:
            self._begin(tx)
            stored = self._lock(tx, kind, record.id, record.version, attempted=record)
            fields = record_diff(stored, record)
            if not fields:
                return stored
            self._check_references(tx, [record], None)
            revision = self._bump(tx)
            at = now_utc()
            self._upsert(tx, kind, [_row(record, stored.version + 1, at)])
            self._log(tx, revision, at, [("update", kind, record.id, fields)])
            return self._fetch(tx, kind, [record.id])[record.id]

        try:
            return self._write(work)
        except Conflict as conflict:
            # The refused edit is kept in the log, so neither editor's work is lost.
            entry = ("conflict", kind, record.id, conflict.attempted)
            self._write(lambda tx: self._log(tx, self._begin(tx), now_utc(), [entry]))
            raise

    def delete(self, kind: RecordKind, record_id: str, version: int | None = None) -> None:
        def work(tx: neo4j.ManagedTransaction) -> None:
            self._begin(tx)
            stored = self._lock(tx, kind, record_id, version)
            revision = self._bump(tx)
            at = now_utc()
            entries: list[Entry] = []
            for dependent_kind, column in dependents(kind):
                rows = self._run(tx, f"read_{dependent_kind.value}_by_{column}", ids=[record_id])
                found = [_record(dependent_kind, row["record"]) for row in rows]
                if dependent_kind is RecordKind.TIE and column == "initiative_id":
                    # A tie outlives the initiative it was made under; it loses the reference.
                    cleared = [
                        _row(tie.model_copy(update={"initiative_id": None}), tie.version + 1, at)
                        for tie in found
                    ]
                    self._upsert(tx, dependent_kind, cleared)
                    entries += [
                        ("update", dependent_kind, tie.id, {"initiative_id": [record_id, None]})
                        for tie in found
                    ]
                else:
                    self._delete_rows(tx, dependent_kind, [d.id for d in found])
                    entries += [
                        ("delete", dependent_kind, d.id, logged_on_delete(d)) for d in found
                    ]
            self._delete_rows(tx, kind, [record_id])
            entries.append(("delete", kind, record_id, logged_on_delete(stored)))
            self._log(tx, revision, at, entries)

        self._write(work)

    # --- people and accounts ---------------------------------------------------------------

    def erase_person(self, contact_id: str) -> str:
        """Erase a contact and scrub its personal fields from the change log.

        Returns the pseudonym its log entries are kept under. What this cannot do from a
        client: Neo4j keeps deleted values in its transaction logs until they are rotated
        and pruned (``db.tx_log.rotation.retention_policy``), and in free space of its
        store files until reused; removing those copies is the server administrator's
        part (see docs/neo4j.md).
        """
        kind = RecordKind.CONTACT
        alias = pseudonym()

        def work(tx: neo4j.ManagedTransaction) -> str:
            self._begin(tx)
            logged = self._run(
                tx, "read_changes_of_kind_and_record", kind=kind.value, record_id=contact_id
            )
            if not logged and not self._existing(tx, kind, [contact_id]):
                raise NotFound(
                    f"there is no contact with id {contact_id!r}, and the change log holds "
                    "nothing about one"
                )
            revision = self._bump(tx)
            self._delete_rows(tx, kind, [contact_id])
            scrubbed = [
                {
                    "seq": row["seq"],
                    "record_id": alias,
                    "fields": json.dumps(
                        erased_fields(kind, row["action"], json.loads(row["fields"])),
                        ensure_ascii=False,
                    ),
                }
                for row in logged
            ]
            for chunk in _chunks(scrubbed, self.batch_size):
                self._run(tx, "scrub_changes", entries=list(chunk))
            erased = ("erase", kind, alias, {"fields": list(Contact.personal_fields)})
            self._log(tx, revision, now_utc(), [erased])
            return alias

        return self._write(work)

    def erase_everything(self) -> None:
        """Delete every record, the change log and the accounts; the revision moves on.

        For tests and for restoring a backup: there is no undo and nothing is logged.
        Constraints and indexes stay. The deletion runs in batches of 10,000 in implicit
        transactions (a graph of any size fits), so a failure part-way leaves part of the
        graph: run it again. Then the revision is bumped, so that nothing cached under an
        earlier revision is taken for the new content.
        """
        name = "erase_everything"
        _check_parameters(name, {})
        with self._errors(), self._session() as session:
            session.run(cypher.query(name)).consume()
        self.statements_run[name] += 1

        def bump(tx: neo4j.ManagedTransaction) -> None:
            self._begin(tx)
            self._bump(tx)

        self._write(bump)

    def replace_everything(
        self,
        batch: RecordSet,
        accounts: Sequence[Account],
        history: Sequence[Change],
        source: str,
    ) -> None:
        """Replace every record, the change log and the accounts (a restore).

        Erases in batches first, as :meth:`erase_everything` does (a failure part-way
        leaves part of the old graph: restore again), then writes the records, accounts
        and log in one transaction.
        """
        self.erase_everything()

        def work(tx: neo4j.ManagedTransaction) -> None:
            self._begin(tx)
            at = now_utc()
            for kind in RECORD_KINDS:
                for part in _chunks(batch.records[kind], self.batch_size):
                    self._upsert(tx, kind, [_row(record, 1, at) for record in part])
            for account in accounts:
                self._run(
                    tx,
                    "save_account",
                    name=account.name,
                    role=account.role,
                    password_hash=account.password_hash,
                    email=account.email,
                    created_at=account.created_at or at,
                )
            # Entries written together share their time, author and revision.
            for (when, actor, revision), group in itertools.groupby(
                history, key=lambda c: (c.at, c.actor, c.revision)
            ):
                rows = [
                    {
                        "action": c.action,
                        "kind": c.kind,
                        "record_id": c.record_id,
                        "fields": json.dumps(c.fields, ensure_ascii=False),
                    }
                    for c in group
                ]
                for chunk in _chunks(rows, self.batch_size):
                    self._run(
                        tx,
                        "log_changes",
                        entries=list(chunk),
                        at=when,
                        actor=actor,
                        revision=revision,
                    )
            self._log(tx, self._bump(tx), at, [("restore", "store", source, {})])

        self._write(work)

    def accounts(self) -> builtins.list[Account]:
        return [
            Account(**{key: row["account"].get(key) for key in ACCOUNT_PROPERTIES})
            for row in self._query("list_accounts")
        ]

    def save_account(self, account: Account) -> None:
        def work(tx: neo4j.ManagedTransaction) -> None:
            revision = self._begin(tx)
            self._run(
                tx,
                "save_account",
                name=account.name,
                role=account.role,
                password_hash=account.password_hash,
                email=account.email,
                created_at=account.created_at or now_utc(),
            )
            entry = ("account", "accounts", account.name, {"role": account.role})
            self._log(tx, revision, now_utc(), [entry])

        self._write(work)

    def remove_account(self, name: str) -> None:
        def work(tx: neo4j.ManagedTransaction) -> None:
            revision = self._begin(tx)
            if not self._run(tx, "remove_account", name=name)[0]["removed"]:
                raise NotFound(f"there is no account {name!r}")
            self._log(tx, revision, now_utc(), [("account-removed", "accounts", name, {})])

        self._write(work)


_TOO_LARGE = (
    "the write is too large for one transaction on this server ({detail}): give the server "
    "more heap or raise the limit it names (dbms.memory.transaction.total.max, "
    "db.memory.transaction.total.max, db.memory.transaction.max), or import in parts"
)


def translate_error(
    exc: neo4j_errors.Neo4jError | neo4j_errors.DriverError, settings: Neo4jSettings
) -> NetmapError | None:
    """Return the netmap error that explains a driver error, or None for a netmap bug.

    Each message is one line naming the server by scheme, host and port only (never the
    user, the password or the database) and what to check. Transient errors reach here only once the driver's retries ran out.
    """
    url, user = settings.shown, settings.user or "neo4j"
    code = getattr(exc, "code", None) or ""
    detail = _first_line(exc)
    match exc:
        case neo4j_errors.AuthError():
            return StoreUnavailable(
                f"{url}: the server refused user {user!r} ({detail}): check NETMAP_NEO4J_USER "
                "and NETMAP_NEO4J_PASSWORD, or the user:password in the URL"
            )
        case neo4j_errors.IncompleteCommit():
            return StoreUnavailable(
                f"{url}: the connection broke while the server was saving, so netmap cannot "
                "tell whether the write landed: look (netmap stats) before doing it again"
            )
        case neo4j_errors.ServiceUnavailable() | neo4j_errors.SessionExpired():
            tls = (
                " Aura and TLS servers need neo4j+s://; a local server without TLS, bolt://."
                if "+s" in settings.scheme or "SSL" in str(exc) or "certificate" in str(exc)
                else ""
            )
            return StoreUnavailable(
                f"{url}: cannot reach the Neo4j server ({detail}): check that it is running "
                f"and that host and port are right.{tls}"
            )
        case neo4j_errors.ConnectionAcquisitionTimeoutError():
            return StoreUnavailable(
                f"{url}: every connection to the server stayed busy ({detail}): try again in "
                "a moment; if it persists, the server may be overloaded"
            )
        case neo4j_errors.ConfigurationError():
            return StoreUnavailable(f"{url}: the driver refuses this URL or setting: {detail}")
        case neo4j_errors.ConstraintError():
            return AlreadyExists(
                f"{url}: a record with the same id exists or was saved at the same moment "
                f"({detail}); reload and try again"
            )
        case neo4j_errors.Forbidden() | neo4j_errors.ForbiddenOnReadOnlyDatabase():
            return AccessDenied(
                f"{url}: the server does not let user {user!r} do this ({detail}): ask its "
                "administrator for write access, or use a database that is not read-only"
            )
        case neo4j_errors.DatabaseUnavailable():
            return StoreUnavailable(
                f"{url}: the database is not available ({detail}): it may be starting, "
                "stopped or being restored; check with the server's administrator"
            )
        case neo4j_errors.ClientError() if code == "Neo.ClientError.Database.DatabaseNotFound":
            return StoreUnavailable(
                f"{url}: the server has no database {settings.database!r}: check "
                "NETMAP_NEO4J_DATABASE or the /database part of the URL (Neo4j Community "
                "has only 'neo4j')"
            )
        case neo4j_errors.Neo4jError() if "OutOfMemory" in code:
            return StoreUnavailable(f"{url}: {_TOO_LARGE.format(detail=detail)}")
        case neo4j_errors.TransientError():
            return StoreUnavailable(
                f"{url}: the server stayed busy ({code or detail}) through the driver's "
                "retries: try again in a moment"
            )
    return None


_SCHEMA_ELEMENT = re.compile(
    r"\bCREATE\s+(?:CONSTRAINT|(?:FULLTEXT\s+)?INDEX)\s+(\w+)\s+IF NOT EXISTS"
)


def schema_element_name(name: str) -> str:
    """The name of the constraint or index that the schema statement ``name`` creates."""
    found = _SCHEMA_ELEMENT.search(cypher.statement(name).body)
    if found is None:
        raise ValueError(f"queries/{name}.cypher does not CREATE a named constraint or index")
    return found.group(1)


def _check_parameters(name: str, params: Mapping[str, Any]) -> None:
    """Refuse to run ``name`` with other parameters than its header declares (a bug)."""
    declared = cypher.parameters(name)
    if set(params) != declared:
        raise TypeError(
            f"statement {name!r} declares parameters {sorted(declared)}, "
            f"but was given {sorted(params)}"
        )


def _first_line(exc: BaseException) -> str:
    """The gist of a driver error in one line: the socket's reason when there is one."""
    message = (getattr(exc, "message", None) or str(exc)).strip()
    reasons: list[str] = re.findall(r"\(reason (?:\[Errno -?\d+\] )?([^)]+)\)", message)
    if reasons:
        return reasons[-1].strip()
    return message.splitlines()[0].rstrip(":") if message else type(exc).__name__


__all__ = [
    "DEFAULT_BATCH_SIZE",
    "GRAPH_SHAPE",
    "RECORD_ELEMENT",
    "Neo4jSettings",
    "Neo4jStore",
    "NodeLabel",
    "RelationshipType",
    "graph_schema",
    "property_keys",
    "store_statements",
    "translate_error",
]
