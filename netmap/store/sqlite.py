"""The embedded store: one SQLite file, the default when no Neo4j server is at hand.

Design notes:

- A connection per operation. Streamlit shares one store object between sessions and
  threads, and Python's sqlite3 refuses to use a connection across threads; opening a
  SQLite connection costs well under a millisecond.
- Every write runs in ``BEGIN IMMEDIATE`` … ``COMMIT``: it takes the write lock at once,
  so a batch lands whole or not at all, and two writers queue instead of deadlocking.
- WAL journal, foreign keys on, ``secure_delete`` on so that erased values do not linger
  in free pages.
- Tables and columns are generated from the record models, so a field added to a model
  is stored without another list to keep in step.
"""

from __future__ import annotations

import builtins
import json
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

from netmap.errors import (
    AlreadyExists,
    Conflict,
    NetmapError,
    NotFound,
    ReferenceProblem,
    StoreUnavailable,
)
from netmap.model import RECORD_KINDS, Contact, FieldKind, Record, RecordKind, field_kinds
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
    RecordList,
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

# 2: accounts; 3: sources, evidence, collective; 4: import history; 5: the search table
SCHEMA_VERSION = 5
_CHUNK = 500  # ids per `IN (…)` lookup: well below SQLite's limit on bound parameters


# How each kind of field is kept in a column: a list as JSON text, a flag as 0 or 1.
_CODEC_OF = {
    FieldKind.TEXT: "text",
    FieldKind.INT: "int",
    FieldKind.FLOAT: "real",
    FieldKind.BOOL: "bool",
    FieldKind.LIST: "list",
}


def _column_codecs(kind: RecordKind) -> dict[str, str]:
    """Map each stored column of ``kind`` to how it is encoded: text, int, real, bool, list."""
    return {name: _CODEC_OF[held] for name, held in field_kinds(kind.model).items()}


_CODECS = {kind: _column_codecs(kind) for kind in RECORD_KINDS}


def column_codecs(kind: RecordKind) -> dict[str, str]:
    """How each column of ``kind``'s table is stored: text, int, real, bool (0 or 1) or
    list (JSON text). A restore reads a backup's cells with it."""
    return dict(_CODECS[kind])


_SQL_TYPES = {"text": "TEXT", "int": "INTEGER", "real": "REAL", "bool": "INTEGER", "list": "TEXT"}
_FOREIGN_KEYS = {
    kind: {column: target.value for column, target in kind.references.items()}
    for kind in RECORD_KINDS
}
# (name, table, columns) of the secondary indexes.
_INDEXES = [
    ("ties_source", "ties", "source_id"),
    ("ties_target", "ties", "target_id"),
    ("ties_initiative", "ties", "initiative_id"),
    ("contacts_institution", "contacts", "institution_id"),
    ("participations_institution", "participations", "institution_id"),
    ("participations_initiative", "participations", "initiative_id"),
    ("institutions_place", "institutions", "country, city"),
    ("changes_record", "changes", "record_id"),
    ("imports_source", "imports", "source"),
    ("search_words_record", "search_words", "kind, record_id"),
]
# A write adding at least this many rows, and more than the table holds, drops the
# table's indexes and builds them again after: SQLite builds an index by sorting, several
# times faster than updating it row by row.
_BULK_ROWS = 10_000
# The page cache of a write transaction (KiB, as SQLite's negative cache_size): a big
# import updates indexes all over the file, and the default 2 MB makes it re-read them.
_WRITE_CACHE_KIB = 262_144


def _index_ddl(name: str, table: str, columns: str) -> str:
    return f"CREATE INDEX IF NOT EXISTS {name} ON {table}({columns})"


def _table_ddl(kind: RecordKind) -> str:
    lines = []
    for column, codec in _CODECS[kind].items():
        constraint = " PRIMARY KEY" if column == "id" else ""
        lines.append(f"{column} {_SQL_TYPES[codec]}{constraint}")
    for column, target in _FOREIGN_KEYS[kind].items():
        lines.append(f"FOREIGN KEY ({column}) REFERENCES {target}(id)")
    return f"CREATE TABLE IF NOT EXISTS {kind.value} (\n  " + ",\n  ".join(lines) + "\n)"


_SCHEMA = [
    *(_table_ddl(kind) for kind in RECORD_KINDS),
    """CREATE TABLE IF NOT EXISTS changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  kind TEXT NOT NULL,
  record_id TEXT NOT NULL,
  fields TEXT NOT NULL,
  revision INTEGER NOT NULL
)""",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS imports (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  source TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  saved_at TEXT,
  revision INTEGER NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS accounts (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  password_hash TEXT,
  email TEXT,
  created_at TEXT
)""",
    # The words each searched record is found by (SEARCHED_FIELDS), folded as search
    # compares them, so that a search reads the few records its words match instead of
    # indexing the whole network per query. Kept by every write in its transaction;
    # the triggers drop a record's words with it, whichever statement deletes it.
    """CREATE TABLE IF NOT EXISTS search_words (
  word TEXT NOT NULL,
  kind TEXT NOT NULL,
  record_id TEXT NOT NULL,
  personal INTEGER NOT NULL,
  PRIMARY KEY (word, kind, record_id)
) WITHOUT ROWID""",
    *(
        f"CREATE TRIGGER IF NOT EXISTS search_words_{kind.value} AFTER DELETE ON {kind.value} "
        f"BEGIN DELETE FROM search_words WHERE kind = '{kind.value}' AND record_id = old.id; END"
        for kind in SEARCHED_FIELDS
    ),
    *(_index_ddl(*index) for index in _INDEXES),
]
#: The search table and its triggers: netmap's own, rebuilt from the records (a restore
#: does not read them from a backup).
SEARCH_OBJECTS = frozenset(
    ["search_words"] + [f"search_words_{kind.value}" for kind in SEARCHED_FIELDS]
)
#: The names of every table and index netmap creates (SQLite's own are ``sqlite_…``).
_NETMAP_OBJECTS = frozenset(
    [kind.value for kind in RECORD_KINDS]
    + ["changes", "meta", "accounts", "imports", *SEARCH_OBJECTS]
    + [name for name, _, _ in _INDEXES]
)


def _encoded_rows(kind: RecordKind, records: RecordList, columns: Sequence[str]) -> list[Any]:
    """The records' values for ``columns``, ready for SQLite (the hot loop of every import).

    Lists become JSON text; booleans need nothing, sqlite3 stores them as 1 and 0.
    """
    rows: list[Any] = records.rows(columns)  # tuples; a row with lists becomes a list
    lists = [p for p, c in enumerate(columns) if _CODECS[kind][c] == "list"]
    if not lists:
        return rows
    for number, row in enumerate(rows):
        values = list(row)
        for position in lists:
            if values[position] is not None:
                values[position] = json.dumps(values[position], ensure_ascii=False)
        rows[number] = values
    return rows


# A cell of each codec that netmap would never have written: damage, or a write from
# outside netmap (SQLite lets any column hold any type). Text columns are not scanned: it
# would triple the time, and text is shown as it is.
_WRONG_CELL = {
    "int": "typeof({c}) NOT IN ('integer', 'null')",
    "real": "typeof({c}) NOT IN ('real', 'integer', 'null')",
    "bool": "{c} IS NOT NULL AND (typeof({c}) != 'integer' OR {c} NOT IN (0, 1))",
    "list": "{c} IS NOT NULL AND (typeof({c}) != 'text' OR NOT json_valid({c}) "
    "OR json_type({c}) != 'array')",
}
_WRONG_WHAT = {
    "int": "a whole number",
    "real": "a number",
    "bool": "yes or no (1 or 0)",
    "list": "a list",
}


def _decode(kind: RecordKind, column: str, value: Any) -> Any:
    codec = _CODECS[kind].get(column, "text")
    if value is None:
        return [] if codec == "list" else None
    if codec == "list":
        try:
            return json.loads(value)
        except (TypeError, json.JSONDecodeError):
            raise StoreUnavailable(
                f"the store is damaged: a {column} cell of {kind.value} is not a list"
            ) from None
    if codec == "bool":
        return bool(value)
    return value


def _read_frame(
    connection: sqlite3.Connection, kind: RecordKind, columns: list[str], *, ordered: bool
) -> pd.DataFrame:
    """The ``columns`` of every row of ``kind``, decoded, as Python values (None if missing).

    The rows go straight into one object array: pandas' own readers infer a type per column
    first, which takes twice as long on a million rows and turns integers beside a NULL
    into floats.
    """
    import numpy as np
    import pandas as pd

    query = f"SELECT {', '.join(columns)} FROM {kind.value}" + (" ORDER BY id" if ordered else "")
    rows = connection.execute(query).fetchall()
    cells = np.empty((len(rows), len(columns)), dtype=object)
    if rows:
        cells[:] = rows
    frame = pd.DataFrame(cells, columns=columns, dtype=object, copy=False)
    for column in columns:
        if _CODECS[kind][column] in ("list", "bool"):
            frame[column] = pd.Series(
                [_decode(kind, column, value) for value in frame[column]], dtype=object
            )
    return frame


def now_utc() -> str:
    """The current time as an ISO 8601 UTC timestamp to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _add_new_columns(connection: sqlite3.Connection) -> None:
    """Bring the tables of a store made by an earlier netmap up to the record models: add
    each field that has no column yet (empty). Records stored before evidence was kept were
    entered by someone without saying how they were known: they become ``reported``, as an
    import takes such rows."""
    for kind in RECORD_KINDS:
        present = {row[1] for row in connection.execute(f"PRAGMA table_info({kind.value})")}
        for column, codec in _CODECS[kind].items():
            if column in present:
                continue
            connection.execute(f"ALTER TABLE {kind.value} ADD COLUMN {column} {_SQL_TYPES[codec]}")
            if column == "evidence":
                connection.execute(f"UPDATE {kind.value} SET evidence = 'reported'")
            elif codec == "bool":
                connection.execute(f"UPDATE {kind.value} SET {column} = 0")


def _write_search_words(
    connection: sqlite3.Connection,
    kind: RecordKind,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    replace: bool,
) -> None:
    """Write the search table's words of the records ``rows`` (of ``columns``); with
    ``replace``, in place of the words they had."""
    if kind not in SEARCHED_FIELDS:
        return
    rows = list(rows)
    if replace:
        at_id = list(columns).index("id")
        connection.executemany(
            "DELETE FROM search_words WHERE kind = ? AND record_id = ?",
            [(kind.value, row[at_id]) for row in rows],
        )
    connection.executemany(
        "INSERT INTO search_words(word, kind, record_id, personal) VALUES (?, ?, ?, ?)",
        search_rows(kind, columns, rows),
    )


def _fill_search_words(connection: sqlite3.Connection) -> None:
    """Give a store made before the search table (schema 4 or earlier) its words."""
    connection.execute("DELETE FROM search_words")
    for kind, fields in SEARCHED_FIELDS.items():
        columns = list(dict.fromkeys(["id", *fields]))
        rows = connection.execute(f"SELECT {', '.join(columns)} FROM {kind.value}").fetchall()
        _write_search_words(connection, kind, columns, rows, replace=False)


def sqlite_path_from_url(url: str) -> Path:
    """Return the file of a ``sqlite:///path`` URL (``sqlite:////abs/path`` is absolute)."""
    if not url.startswith("sqlite:///"):
        raise StoreUnavailable(f"{url}: not a SQLite store URL (write sqlite:///path/netmap.db)")
    rest = url.removeprefix("sqlite:///")
    if not rest:
        raise StoreUnavailable(f"{url}: the URL names no file")
    return Path(rest)


class SQLiteStore:
    """A network stored in one SQLite file. See :class:`netmap.store.base.GraphStore`."""

    def __init__(self, path: str | Path, actor: str = "netmap"):
        self.path = Path(path).expanduser()
        self.url = f"sqlite:///{self.path}"
        self.actor = actor
        self._create_or_check()

    # --- connections --------------------------------------------------------------------

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        try:
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"{self.url}: cannot open the store: {exc}") from exc
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA secure_delete = ON")
            yield connection
        except sqlite3.OperationalError as exc:
            raise StoreUnavailable(f"{self.url}: {_explain(exc)}") from exc
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.IntegrityError):
                raise ReferenceProblem(f"{self.url}: {exc}") from exc
            raise StoreUnavailable(f"{self.url}: not a netmap store ({exc})") from exc
        finally:
            connection.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction that takes the write lock at once; rolled back on error."""
        with self._connection() as connection:
            connection.execute(f"PRAGMA cache_size = -{_WRITE_CACHE_KIB}")
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                # SQLite may have rolled back already (a full disk does); keep its error.
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def _create_or_check(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"{self.url}: cannot create its folder: {exc.strerror}") from exc
        existed = self.path.exists() and self.path.stat().st_size > 0
        with self._connection() as connection:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if existed and version == 0:
                tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if tables:
                    raise StoreUnavailable(f"{self.url}: this file is not a netmap store")
            if version > SCHEMA_VERSION:
                raise StoreUnavailable(
                    f"{self.url}: made by a newer netmap (schema {version}); upgrade netmap"
                )
            if version < SCHEMA_VERSION:
                connection.execute("PRAGMA journal_mode = WAL")
                connection.execute("BEGIN IMMEDIATE")
                for statement in _SCHEMA:
                    connection.execute(statement)
                _add_new_columns(connection)
                if existed and version < 5:
                    _fill_search_words(connection)
                connection.execute(
                    "INSERT OR IGNORE INTO meta(key, value) VALUES ('revision', '0')"
                )
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                connection.execute("COMMIT")

    def close(self) -> None:
        """Nothing to release: connections live for one operation."""

    # --- reads --------------------------------------------------------------------------

    def revision(self) -> int:
        with self._connection() as connection:
            return self._current_revision(connection)

    def counts(self) -> dict[RecordKind, int]:
        with self._connection() as connection:
            return {
                kind: connection.execute(f"SELECT count(*) FROM {kind.value}").fetchone()[0]
                for kind in RECORD_KINDS
            }

    def _row_to_record(self, kind: RecordKind, row: sqlite3.Row) -> Record:
        # sqlite3.Row iterates over values, not column names.
        values = {c: _decode(kind, c, row[c]) for c in row.keys()}  # noqa: SIM118
        return kind.model.model_construct(**values)

    def _fetch(
        self, connection: sqlite3.Connection, kind: RecordKind, ids: Sequence[str]
    ) -> dict[str, Record]:
        connection.row_factory = sqlite3.Row
        found: dict[str, Record] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start : start + _CHUNK])
            marks = ",".join("?" * len(chunk))
            cursor = connection.execute(f"SELECT * FROM {kind.value} WHERE id IN ({marks})", chunk)
            for row in cursor:
                found[row["id"]] = self._row_to_record(kind, row)
        connection.row_factory = None
        return found

    def existing_ids(self, kind: RecordKind, ids: set[str] | Sequence[str]) -> set[str]:
        wanted = list(ids)
        found: set[str] = set()
        with self._connection() as connection:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                cursor = connection.execute(
                    f"SELECT id FROM {kind.value} WHERE id IN ({marks})", chunk
                )
                found.update(row[0] for row in cursor)
        return found

    def get(self, kind: RecordKind, record_id: str) -> Record:
        with self._connection() as connection:
            record = self._fetch(connection, kind, [record_id]).get(record_id)
        if record is None:
            raise NotFound(f"there is no {kind.label.lower()} with id {record_id!r}")
        return record

    def get_many(self, kind: RecordKind, ids: Iterable[str]) -> dict[str, Record]:
        with self._connection() as connection:
            if not self._holds_any(connection, kind):
                return {}
            return self._fetch(connection, kind, list(dict.fromkeys(ids)))

    def field_changes(
        self, kind: RecordKind, ids: Iterable[str]
    ) -> dict[str, dict[str, FieldStamp]]:
        wanted = list(dict.fromkeys(ids))
        entries: list[tuple[int, tuple[str, str, str, str, int, str]]] = []
        with self._connection() as connection:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                entries += [
                    (row[0], (row[1], row[2], row[3], row[4], row[5], row[6]))
                    for row in connection.execute(
                        "SELECT seq, record_id, action, fields, at, revision, actor FROM changes "
                        "WHERE kind = ? AND action IN ('create', 'update') "
                        f"AND record_id IN ({marks})",
                        [kind.value, *chunk],
                    )
                ]
        entries.sort(key=lambda entry: entry[0])
        return field_stamps(kind, (entry for _, entry in entries))

    def imports(self, source: str | None = None) -> list[ImportEntry]:
        query = "SELECT source, sha256, saved_at, at, actor, revision FROM imports"
        params: list[Any] = []
        if source is not None:
            query += " WHERE source = ?"
            params.append(source)
        with self._connection() as connection:
            rows = connection.execute(query + " ORDER BY seq", params).fetchall()
        return [ImportEntry(*row) for row in rows]

    def list(self, kind: RecordKind) -> list[Record]:
        with self._connection() as connection:
            connection.row_factory = sqlite3.Row
            rows = connection.execute(f"SELECT * FROM {kind.value} ORDER BY id").fetchall()
        return [self._row_to_record(kind, row) for row in rows]

    def snapshot(self) -> Network:
        with self._connection() as connection:
            return Network(
                {
                    kind: _read_frame(connection, kind, list(_CODECS[kind]), ordered=True)
                    for kind in RECORD_KINDS
                }
            )

    def outline(self) -> Network:
        with self._connection() as connection:
            return Network.outline_of(
                {
                    # Ties in storage order: sorting a million by id costs a second.
                    kind: _read_frame(
                        connection, kind, list(columns), ordered=kind is not RecordKind.TIE
                    )
                    for kind, columns in OUTLINE_COLUMNS.items()
                }
            )

    def columns(self, wanted: Mapping[RecordKind, Sequence[str]]) -> Network:
        check_columns(wanted)
        with self._connection() as connection:
            connection.execute("BEGIN")  # one read transaction: every table at one revision
            return partial_network(
                {
                    kind: _read_frame(connection, kind, list(columns), ordered=True)
                    for kind, columns in wanted.items()
                }
            )

    def search_words(self, personal: bool = True) -> builtins.list[str]:
        query = "SELECT DISTINCT word FROM search_words"
        if not personal:
            query += " WHERE personal = 0"
        with self._connection() as connection:
            return [row[0] for row in connection.execute(query + " ORDER BY word")]

    def found_by(
        self, words: Collection[str], personal: bool = True
    ) -> dict[RecordKind, builtins.list[str]]:
        wanted = sorted(words)
        found: dict[RecordKind, set[str]] = {kind: set() for kind in SEARCHED_FIELDS}
        condition = "" if personal else " AND personal = 0"
        with self._connection() as connection:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                for kind, record_id in connection.execute(
                    f"SELECT kind, record_id FROM search_words WHERE word IN ({marks})" + condition,
                    chunk,
                ):
                    found[RecordKind(kind)].add(record_id)
        return {kind: sorted(ids) for kind, ids in found.items()}

    def search_network(self, words: Collection[str], personal: bool = True) -> Network:
        return search_network(self, words, personal)

    def records_where(
        self, kind: RecordKind, column: str, values: Iterable[Any]
    ) -> builtins.list[Record]:
        check_columns({kind: [column]})
        wanted = list(dict.fromkeys(values))
        found: dict[str, Record] = {}
        with self._connection() as connection:
            connection.row_factory = sqlite3.Row
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                for row in connection.execute(
                    f"SELECT * FROM {kind.value} WHERE {column} IN ({marks})", chunk
                ):
                    found[row["id"]] = self._row_to_record(kind, row)
        return [found[record_id] for record_id in sorted(found)]

    def tally(self, kind: RecordKind, column: str) -> builtins.list[tuple[Any, int]]:
        check_columns({kind: [column]})
        with self._connection() as connection:
            rows = connection.execute(
                f"SELECT {column}, count(*), min(id) FROM {kind.value} GROUP BY {column}"
            ).fetchall()
        return most_common_first(
            (_decode(kind, column, value), n, first) for value, n, first in rows
        )

    def changes(
        self, record_id: str | None = None, limit: int | None = 200
    ) -> builtins.list[Change]:
        query = "SELECT seq, at, actor, action, kind, record_id, fields, revision FROM changes"
        params: list[Any] = []
        if record_id is not None:
            query += " WHERE record_id = ?"
            params.append(record_id)
        query += " ORDER BY seq DESC"
        if limit is not None:
            query += " LIMIT ?"
            params.append(limit)
        with self._connection() as connection:
            rows = connection.execute(query, params).fetchall()
        return [
            Change(seq, at, actor, action, kind, rid, json.loads(fields), rev)
            for seq, at, actor, action, kind, rid, fields, rev in rows
        ]

    # --- people and accounts ------------------------------------------------------------

    def erase_person(self, contact_id: str) -> str:
        kind = RecordKind.CONTACT
        alias = pseudonym()
        with self._transaction() as connection:
            stored = bool(self._fetch(connection, kind, [contact_id]))
            entries = connection.execute(
                "SELECT seq, action, fields FROM changes WHERE kind = ? AND record_id = ?",
                (kind.value, contact_id),
            ).fetchall()
            if not stored and not entries:
                raise NotFound(
                    f"there is no contact with id {contact_id!r}, and the change log holds "
                    "nothing about one"
                )
            revision = self._bump(connection)
            connection.execute("DELETE FROM contacts WHERE id = ?", (contact_id,))
            connection.executemany(
                "UPDATE changes SET record_id = ?, fields = ? WHERE seq = ?",
                [
                    (
                        alias,
                        json.dumps(
                            erased_fields(kind, action, json.loads(fields)), ensure_ascii=False
                        ),
                        seq,
                    )
                    for seq, action, fields in entries
                ],
            )
            self._log(
                connection,
                revision,
                [("erase", kind, alias, {"fields": list(Contact.personal_fields)})],
            )
        self.compact()
        return alias

    def compact(self) -> None:
        """Rewrite the file without free pages and empty the journal.

        Deleted values are zeroed in place (``secure_delete``); this also removes the
        copies the write-ahead log and earlier page versions may still hold.
        """
        with self._connection() as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.execute("VACUUM")
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def erase_everything(self) -> None:
        with self._transaction() as connection:
            self._delete_everything(connection)
            self._bump(connection)
        self.compact()

    def _delete_everything(self, connection: sqlite3.Connection) -> None:
        connection.execute("DELETE FROM search_words")  # at once, not by each row's trigger
        for kind in reversed(RECORD_KINDS):
            connection.execute(f"DELETE FROM {kind.value}")
        connection.execute("DELETE FROM changes")
        connection.execute("DELETE FROM accounts")
        # The history of imports names revisions of the content it goes with.
        connection.execute("DELETE FROM imports")

    def replace_everything(
        self,
        batch: RecordSet,
        accounts: Sequence[Account],
        history: Sequence[Change],
        source: str,
    ) -> None:
        with self._transaction() as connection:
            self._drop_foreign_objects(connection)
            self._delete_everything(connection)
            at = now_utc()
            for kind in RECORD_KINDS:
                records = batch.records[kind]
                with self._indexes_rebuilt_for(connection, kind.value, len(records)):
                    for start in range(0, len(records), 5000):
                        self._insert(connection, kind, records[start : start + 5000], at)
            connection.executemany(
                "INSERT INTO accounts(name, role, password_hash, email, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [(a.name, a.role, a.password_hash, a.email, a.created_at or at) for a in accounts],
            )
            with self._indexes_rebuilt_for(connection, "changes", len(history)):
                connection.executemany(
                    "INSERT INTO changes(at, actor, action, kind, record_id, fields, revision) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            c.at,
                            c.actor,
                            c.action,
                            c.kind,
                            c.record_id,
                            json.dumps(c.fields, ensure_ascii=False) if c.fields else "{}",
                            c.revision,
                        )
                        for c in history
                    ],
                )
            revision = self._bump(connection)
            self._log(connection, revision, [("restore", "store", source, {})])
        self.compact()

    def _drop_foreign_objects(self, connection: sqlite3.Connection) -> None:
        """Drop every trigger, view, table and index that netmap did not create.

        None can come from a backup any more (a restore copies records), but a store
        restored by an earlier netmap, which copied a backup's pages, may hold one.
        """
        found = connection.execute(
            "SELECT type, name FROM sqlite_master WHERE type IN "
            "('trigger', 'view', 'table', 'index') AND substr(name, 1, 7) != 'sqlite_'"
        ).fetchall()
        for kind_of_object, name in found:
            if name not in _NETMAP_OBJECTS:
                quoted = '"' + name.replace('"', '""') + '"'
                connection.execute(f"DROP {kind_of_object.upper()} IF EXISTS {quoted}")

    def accounts(self) -> builtins.list[Account]:
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT name, role, password_hash, email, created_at FROM accounts ORDER BY name"
            ).fetchall()
        return [Account(*row) for row in rows]

    def save_account(self, account: Account) -> None:
        with self._transaction() as connection:
            connection.execute(
                "INSERT INTO accounts(name, role, password_hash, email, created_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET role = excluded.role, "
                "password_hash = excluded.password_hash, email = excluded.email",
                (
                    account.name,
                    account.role,
                    account.password_hash,
                    account.email,
                    account.created_at or now_utc(),
                ),
            )
            self._log(
                connection,
                self._current_revision(connection),
                [("account", "accounts", account.name, {"role": account.role})],
            )

    def remove_account(self, name: str) -> None:
        with self._transaction() as connection:
            removed = connection.execute("DELETE FROM accounts WHERE name = ?", (name,)).rowcount
            if not removed:
                raise NotFound(f"there is no account {name!r}")
            self._log(
                connection,
                self._current_revision(connection),
                [("account-removed", "accounts", name, {})],
            )

    # --- writes -------------------------------------------------------------------------

    def _bump(self, connection: sqlite3.Connection) -> int:
        connection.execute(
            "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'"
        )
        return int(
            connection.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0]
        )

    def _log(
        self,
        connection: sqlite3.Connection,
        revision: int,
        entries: Sequence[tuple[str, RecordKind | str, str, dict[str, Any]]],
    ) -> None:
        at = now_utc()
        connection.executemany(
            "INSERT INTO changes(at, actor, action, kind, record_id, fields, revision) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    at,
                    self.actor,
                    action,
                    getattr(kind, "value", kind),
                    rid,
                    json.dumps(fields, ensure_ascii=False) if fields else "{}",
                    revision,
                )
                for action, kind, rid, fields in entries
            ],
        )

    def _insert(
        self, connection: sqlite3.Connection, kind: RecordKind, records: RecordList, at: str
    ) -> None:
        columns = [c for c in _CODECS[kind] if c not in ("version", "updated_at")]
        marks = ",".join("?" * len(columns))
        connection.executemany(
            f"INSERT INTO {kind.value} ({','.join(columns)}, updated_at, version) "
            f"VALUES ({marks}, ?, 1)",
            [(*values, at) for values in _encoded_rows(kind, records, columns)],
        )
        if kind in SEARCHED_FIELDS:
            searched = list(dict.fromkeys(["id", *SEARCHED_FIELDS[kind]]))
            _write_search_words(connection, kind, searched, records.rows(searched), replace=False)

    def _update_rows(
        self, connection: sqlite3.Connection, kind: RecordKind, records: RecordList, at: str
    ) -> None:
        columns = [c for c in _CODECS[kind] if c not in ("id", "version", "updated_at")]
        assignments = ", ".join(f"{c} = ?" for c in columns)
        rows = [
            (*values, at, record_id)
            for values, record_id in zip(
                _encoded_rows(kind, records, columns), records.column("id"), strict=True
            )
        ]
        connection.executemany(
            f"UPDATE {kind.value} SET {assignments}, updated_at = ?, version = version + 1 "
            "WHERE id = ?",
            rows,
        )
        if kind in SEARCHED_FIELDS:
            searched = list(dict.fromkeys(["id", *SEARCHED_FIELDS[kind]]))
            _write_search_words(connection, kind, searched, records.rows(searched), replace=True)

    @contextmanager
    def _indexes_rebuilt_for(
        self, connection: sqlite3.Connection, table: str, incoming: int
    ) -> Iterator[None]:
        """Drop ``table``'s indexes for a bulk write of ``incoming`` rows, build them after."""
        indexes = [index for index in _INDEXES if index[1] == table]
        if incoming < _BULK_ROWS or not indexes:
            yield
            return
        stored = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if incoming <= stored:
            yield
            return
        for name, _, _ in indexes:
            connection.execute(f"DROP INDEX {name}")
        yield
        for index in indexes:
            connection.execute(_index_ddl(*index))

    def _check_references(
        self, connection: sqlite3.Connection, record: Record, pending: RecordSet | None = None
    ) -> None:
        for column, target in record.references.items():
            value = getattr(record, column)
            if value is None or (pending and value in pending.ids(target)):
                continue
            if not self._fetch(connection, target, [value]):
                raise ReferenceProblem(
                    f"{record.record_kind.label.lower()} {record.id!r}: {column} refers to "
                    f"{target.label.lower()} {value!r}, which does not exist"
                )

    def _plan(self, connection: sqlite3.Connection, batch: RecordSet) -> Plan:
        plan = Plan()
        for kind in RECORD_KINDS:
            records = batch.records[kind]
            ids = records.column("id")
            stored = self._fetch(connection, kind, ids) if self._holds_any(connection, kind) else {}
            for position, record_id in enumerate(ids):
                before = stored.get(record_id)
                if before is None:
                    plan.new[kind].append(record_id)
                elif before.data() != records[position].data():
                    plan.updated[kind].append(record_id)
                else:
                    plan.unchanged[kind].append(record_id)
        return plan

    def _holds_any(self, connection: sqlite3.Connection, kind: RecordKind) -> bool:
        return connection.execute(f"SELECT 1 FROM {kind.value} LIMIT 1").fetchone() is not None

    def plan(self, batch: RecordSet) -> Plan:
        with self._connection() as connection:
            return self._plan(connection, batch)

    def write(
        self,
        batch: RecordSet,
        progress: Progress | None = None,
        *,
        expected_revision: int | None = None,
        imported: ImportEntry | None = None,
    ) -> Plan:
        total = len(batch)
        done = 0
        with self._transaction() as connection:
            if expected_revision is not None:
                current = self._current_revision(connection)
                if current != expected_revision:
                    raise Conflict(expected_revision_message(expected_revision, current))
            plan = self._plan(connection, batch)
            if not plan.changes:
                if progress:
                    progress(total, total)
                return plan
            revision = self._bump(connection)
            at = now_utc()
            entries: list[tuple[str, RecordKind, str, dict[str, Any]]] = []
            for kind in RECORD_KINDS:
                records = batch.records[kind]
                new_ids, updated_ids = set(plan.new[kind]), set(plan.updated[kind])
                stored = self._fetch(connection, kind, list(updated_ids))
                with self._indexes_rebuilt_for(connection, kind.value, len(new_ids)):
                    for start in range(0, len(records), 5000):
                        part = records[start : start + 5000]
                        ids = part.column("id")
                        fresh = [p for p, record_id in enumerate(ids) if record_id in new_ids]
                        changed = [p for p, record_id in enumerate(ids) if record_id in updated_ids]
                        self._insert(connection, kind, part.select(fresh), at)
                        self._update_rows(connection, kind, part.select(changed), at)
                        entries += [("create", kind, ids[p], {}) for p in fresh]
                        entries += [
                            ("update", kind, ids[p], record_diff(stored[ids[p]], part[p]))
                            for p in changed
                        ]
                        done += len(part)
                        if progress:
                            progress(done, total)
            with self._indexes_rebuilt_for(connection, "changes", len(entries)):
                self._log(connection, revision, entries)
            if imported is not None:
                connection.execute(
                    "INSERT INTO imports(at, actor, source, sha256, saved_at, revision) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (at, self.actor, imported.source, imported.sha256, imported.saved_at, revision),
                )
        return plan

    def add(self, record: Record) -> Record:
        kind = record.record_kind
        with self._transaction() as connection:
            if self._fetch(connection, kind, [record.id]):
                raise AlreadyExists(f"a {kind.label.lower()} with id {record.id!r} already exists")
            self._check_references(connection, record)
            at = now_utc()
            revision = self._bump(connection)
            self._insert(connection, kind, RecordList.of(kind, [record]), at)
            self._log(connection, revision, [("create", kind, record.id, {})])
            return self._fetch(connection, kind, [record.id])[record.id]

    def update(self, record: Record) -> Record:
        try:
            return self._update(record)
        except Conflict as conflict:
            # The refused edit is kept in the log, so neither editor's work is lost.
            with self._transaction() as connection:
                self._log(
                    connection,
                    self._current_revision(connection),
                    [("conflict", record.record_kind, record.id, conflict.attempted)],
                )
            raise

    def _current_revision(self, connection: sqlite3.Connection) -> int:
        row = connection.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
        try:
            return int(row[0])
        except (TypeError, ValueError):
            raise StoreUnavailable(
                f"{self.url}: the store is damaged: it has no revision"
            ) from None

    def check_readable(self) -> None:
        """Raise ``StoreUnavailable`` naming the first damage found in the file.

        SQLite's own quick check (pages, indexes), then every cell that is not text
        against the type netmap writes there (a list that is not a JSON list, text where
        a number or a yes/no belongs): one scan of each table, so a damaged store is
        refused with one message when it is opened, not by whichever page reads the
        damaged row first. About a second for a million ties.
        """
        with self._connection() as connection:
            verdict = connection.execute("PRAGMA quick_check(1)").fetchone()[0]
            if verdict != "ok":
                raise StoreUnavailable(f"{self.url}: the store file is damaged ({verdict})")
            self._current_revision(connection)
            for kind in RECORD_KINDS:
                codecs = {c: codec for c, codec in _CODECS[kind].items() if codec in _WRONG_CELL}
                wrong = [_WRONG_CELL[codec].format(c=column) for column, codec in codecs.items()]
                first = " ".join(
                    f"WHEN {condition} THEN '{column}'"
                    for condition, column in zip(wrong, codecs, strict=True)
                )
                found = connection.execute(
                    f"SELECT rowid, CASE {first} END FROM {kind.value} "
                    f"WHERE {' OR '.join(wrong)} LIMIT 1"
                ).fetchone()
                if found:
                    rowid, column = found
                    raise StoreUnavailable(
                        f"{self.url}: the store is damaged: {kind.value} row {rowid}: "
                        f"{column} does not hold {_WRONG_WHAT[codecs[column]]}"
                    )

    def _update(self, record: Record) -> Record:
        kind = record.record_kind
        with self._transaction() as connection:
            stored = self._fetch(connection, kind, [record.id]).get(record.id)
            if stored is None:
                raise NotFound(f"there is no {kind.label.lower()} with id {record.id!r}")
            if stored.version != record.version:
                raise Conflict(
                    conflict_message(kind, stored, record.version), record_diff(stored, record)
                )
            fields = record_diff(stored, record)
            if not fields:
                return stored
            self._check_references(connection, record)
            at = now_utc()
            revision = self._bump(connection)
            self._update_rows(connection, kind, RecordList.of(kind, [record]), at)
            self._log(connection, revision, [("update", kind, record.id, fields)])
            return self._fetch(connection, kind, [record.id])[record.id]

    def delete(self, kind: RecordKind, record_id: str, version: int | None = None) -> None:
        with self._transaction() as connection:
            stored = self._fetch(connection, kind, [record_id]).get(record_id)
            if stored is None:
                raise NotFound(f"there is no {kind.label.lower()} with id {record_id!r}")
            if version is not None and stored.version != version:
                raise Conflict(conflict_message(kind, stored, version))
            revision = self._bump(connection)
            entries: list[tuple[str, RecordKind, str, dict[str, Any]]] = []
            at = now_utc()
            for dependent_kind, column in dependents(kind):
                connection.row_factory = sqlite3.Row
                rows = connection.execute(
                    f"SELECT * FROM {dependent_kind.value} WHERE {column} = ?", (record_id,)
                ).fetchall()
                connection.row_factory = None
                for row in rows:
                    dependent = self._row_to_record(dependent_kind, row)
                    if column == "initiative_id" and dependent_kind is RecordKind.TIE:
                        connection.execute(
                            "UPDATE ties SET initiative_id = NULL, updated_at = ?, "
                            "version = version + 1 WHERE id = ?",
                            (at, dependent.id),
                        )
                        entries.append(
                            (
                                "update",
                                dependent_kind,
                                dependent.id,
                                {"initiative_id": [record_id, None]},
                            )
                        )
                    else:
                        connection.execute(
                            f"DELETE FROM {dependent_kind.value} WHERE id = ?", (dependent.id,)
                        )
                        entries.append(
                            ("delete", dependent_kind, dependent.id, logged_on_delete(dependent))
                        )
            connection.execute(f"DELETE FROM {kind.value} WHERE id = ?", (record_id,))
            entries.append(("delete", kind, record_id, logged_on_delete(stored)))
            self._log(connection, revision, entries)


def _explain(exc: sqlite3.OperationalError) -> str:
    message = str(exc)
    if "readonly" in message:
        return "the store file is read-only: check its permissions, or copy it somewhere writable"
    if "disk is full" in message or "disk I/O" in message:
        return f"the disk is full or failing ({message}): free space and try again"
    if "locked" in message or "busy" in message:
        return "another program holds the store's write lock; try again in a moment"
    if "unable to open" in message:
        return "cannot open the store file: check that its folder exists and is writable"
    return message


__all__ = [
    "SCHEMA_VERSION",
    "SEARCH_OBJECTS",
    "NetmapError",
    "SQLiteStore",
    "column_codecs",
    "now_utc",
    "sqlite_path_from_url",
]
