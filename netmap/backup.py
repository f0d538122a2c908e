"""Backups of a whole store, and restores that bring back records, never files.

A backup of an embedded store is a SQLite copy (SQLite's online backup: consistent while
in use, change log and accounts included); of any other store, one JSON document in the
table format with its accounts and change log. Either is checked by reading it back
with the same reader a restore uses.

A restore treats the backup as untrusted: a backup is a file someone hands over. A SQLite
backup is copied to a private folder and opened read-only (``immutable``, schema not
trusted, an authorizer that allows reads only); it is never attached to the live store
and nothing in it runs. Its schema version and integrity are checked, and only netmap's
own tables and columns are read: a trigger, a view or an extra table in it is reported
and left behind. Every record is then validated exactly as an import validates it (errors
as ``FILE[table]:ROW: FIELD: message``), the accounts (known roles only, well-formed
Argon2 hashes, e-mail addresses) and the change log too, and all of it is written
through the store's own write (:meth:`GraphStore.replace_everything`), on SQLite and on
Neo4j alike. A backup that would leave no admin, or no account at all where the store
has some (team mode would silently become local mode), is refused unless confirmed.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from argon2 import extract_parameters
from argon2.exceptions import InvalidHashError
from platformdirs import user_data_dir

from netmap.access import Action, Role, User, require
from netmap.errors import NetmapError, Problem, ValidationFailed
from netmap.export import network_document
from netmap.i18n import format_list, format_number, gettext, ngettext
from netmap.io.importer import validate_tables
from netmap.io.reader import RawTable, RawTables
from netmap.model import RECORD_KINDS, Email, Record, RecordKind, clean_name
from netmap.store.base import Account, Change, GraphStore, Network, RecordSet, iter_rows
from netmap.store.sqlite import SCHEMA_VERSION, SEARCH_OBJECTS, SQLiteStore, column_codecs

SQLITE_HEADER = b"SQLite format 3\x00"

#: The columns of the accounts and change-log tables, as netmap creates them.
ACCOUNT_COLUMNS = ("name", "role", "password_hash", "email", "created_at")
CHANGE_COLUMNS = ("seq", "at", "actor", "action", "kind", "record_id", "fields", "revision")
#: Argon2 costs above these would make every sign-in of that account a denial of service
#: (netmap's own hashes use 64 MiB, 3 passes, 4 lanes).
MAX_ARGON2_MEMORY_KIB = 1024 * 1024
MAX_ARGON2_TIME_COST = 10
MAX_ARGON2_PARALLELISM = 16
MAX_ACCOUNT_NAME = 200

_ROLES = tuple(str(role) for role in Role)


# --- what a backup holds ---------------------------------------------------------------


@dataclass
class BackupContents:
    """A backup read and validated whole: what a restore would write.

    ``warnings`` name what the backup holds but a restore leaves behind (a trigger, a
    view, a table netmap does not make).
    """

    name: str
    batch: RecordSet
    accounts: list[Account]
    history: list[Change]
    warnings: list[Problem] = field(default_factory=list)

    def counts(self) -> dict[RecordKind, int]:
        return {kind: len(self.batch.records[kind]) for kind in RECORD_KINDS}

    def network(self) -> Network:
        return Network.from_records(self.batch)

    def summary(self) -> str:
        """``113 institutions, 237 ties, 4 contacts, 12 change-log entries and the accounts
        eleni (admin)``, in the current language."""
        counts = self.counts()
        institutions, ties, contacts, entries = (
            counts[RecordKind.INSTITUTION],
            counts[RecordKind.TIE],
            counts[RecordKind.CONTACT],
            len(self.history),
        )
        said = [
            ngettext("%(count)s institution", "%(count)s institutions", institutions)
            % {"count": format_number(institutions)},
            ngettext("%(count)s tie", "%(count)s ties", ties) % {"count": format_number(ties)},
            ngettext("%(count)s contact", "%(count)s contacts", contacts)
            % {"count": format_number(contacts)},
            ngettext("%(count)s change-log entry", "%(count)s change-log entries", entries)
            % {"count": format_number(entries)},
        ]
        if self.accounts:
            # Translators: the end of a backup's summary: "the accounts eleni (admin)".
            said.append(
                gettext("the accounts %(accounts)s")
                % {"accounts": describe_accounts(self.accounts)}
            )
        else:
            said.append(describe_accounts(self.accounts))
        return format_list(said)


def describe_accounts(accounts: list[Account]) -> str:
    """``eleni (admin), nikos (editor)``, or ``no account``."""
    if not accounts:
        return gettext("no account")
    return ", ".join(f"{a.name} ({a.role})" for a in sorted(accounts, key=lambda a: a.name))


class AccountsChange(NetmapError):
    """A restore would leave no admin, or remove every account: it needs confirming.

    ``risks`` says what would happen, one sentence each.
    """

    def __init__(self, name: str, risks: list[str]):
        self.risks = risks
        super().__init__(
            gettext("%(file)s: %(risks)s. Nothing was restored")
            % {"file": name, "risks": "; ".join(risks)}
        )


def account_risks(current: list[Account], incoming: list[Account]) -> list[str]:
    """What restoring ``incoming`` accounts over ``current`` ones would break, in words."""
    if not incoming:
        if not current:
            return []
        return [
            ngettext(
                "it holds no account, so the %(count)d account of this store (%(accounts)s) "
                "would be removed and netmap would run in local mode, where whoever opens it "
                "is an admin",
                "it holds no account, so the %(count)d accounts of this store (%(accounts)s) "
                "would be removed and netmap would run in local mode, where whoever opens it "
                "is an admin",
                len(current),
            )
            % {"count": len(current), "accounts": describe_accounts(current)}
        ]
    if not any(account.role == str(Role.ADMIN) for account in incoming):
        return [
            gettext(
                "it brings no admin account (only %(accounts)s), so nobody could manage "
                "accounts, make backups or erase a person"
            )
            % {"accounts": describe_accounts(incoming)}
        ]
    return []


# --- reading a backup ------------------------------------------------------------------


def read_backup(path: str | Path, *, private_copy: bool = True) -> BackupContents:
    """Read and validate the backup at ``path`` whole; the store is not involved.

    Raises :class:`ValidationFailed` listing every problem (``FILE[table]:ROW: FIELD:
    message``), or :class:`NetmapError` for a file that is not a netmap backup at all.
    ``private_copy`` reads a copy in a private folder (always, for a file someone else
    may hold); a backup netmap has just written is read where it is.
    """
    path = Path(path)
    if not path.is_file():
        raise NetmapError(f"{path}: no such backup file")
    name = path.name
    if _is_sqlite(path):
        reading = _read_sqlite(path, name, private_copy)
    else:
        reading = _read_json(path, name)
    report = validate_tables(reading.raw)
    accounts = _valid_accounts(reading.accounts, f"{name}[accounts]", reading.problems)
    history = _valid_history(reading.changes, f"{name}[changes]", reading.problems)
    problems = [*reading.problems, *report.errors]
    if problems:
        raise ValidationFailed(sorted(problems, key=lambda p: (p.file, p.row or 0)))
    return BackupContents(name, report.batch, accounts, history, reading.warnings)


@dataclass
class _Reading:
    """A backup's tables as read, before validation."""

    raw: RawTables
    accounts: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    changes: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _is_sqlite(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER


_READS = {
    sqlite3.SQLITE_SELECT,
    sqlite3.SQLITE_READ,
    sqlite3.SQLITE_PRAGMA,
    sqlite3.SQLITE_FUNCTION,
}


def _reads_only(action: int, *_: Any) -> int:
    """SQLite authorizer: reading is all a restore may do with a backup."""
    return sqlite3.SQLITE_OK if action in _READS else sqlite3.SQLITE_DENY


@contextmanager
def _untrusted(path: Path, name: str, private_copy: bool) -> Iterator[sqlite3.Connection]:
    """A read-only connection to a SQLite file nobody vouches for."""
    with tempfile.TemporaryDirectory(prefix="netmap-restore-") as folder:
        if private_copy:
            # The file alone: a journal or write-ahead log beside it is not read.
            copy = Path(folder) / "backup.db"
            shutil.copyfile(path, copy)
            path = copy
        try:
            connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        except sqlite3.Error as exc:
            raise NetmapError(f"{name}: cannot open the backup ({exc})") from None
        try:
            # Functions in the schema (generated columns, views) run as innocuous only.
            connection.execute("PRAGMA trusted_schema = OFF")
            connection.execute("PRAGMA query_only = ON")
            connection.set_authorizer(_reads_only)
            yield connection
        except sqlite3.DatabaseError as exc:
            raise NetmapError(f"{name}: not a readable netmap backup ({exc})") from None
        finally:
            connection.close()


def _read_sqlite(path: Path, name: str, private_copy: bool) -> _Reading:
    reading = _Reading(RawTables(source=name))
    with _untrusted(path, name, private_copy) as connection:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            raise NetmapError(f"{name}: not a netmap backup (a SQLite file of something else)")
        if version > SCHEMA_VERSION:
            raise NetmapError(
                f"{name}: made by a newer netmap (schema {version}); upgrade netmap to restore it"
            )
        integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            raise NetmapError(f"{name}: the backup file is damaged ({integrity[0]})")
        objects = dict(
            connection.execute("SELECT name, type FROM sqlite_master WHERE type != 'index'")
        )
        # The import history is not restored: it names revisions of the store it was
        # made in (a restored store's next import of a file counts as its first).
        ours = {kind.value for kind in RECORD_KINDS} | {"changes", "meta", "accounts", "imports"}
        ours |= SEARCH_OBJECTS  # rebuilt from the records, not read
        for other, kind_of_object in sorted(objects.items()):
            if other not in ours and not other.startswith("sqlite_"):
                reading.warnings.append(
                    Problem(
                        name,
                        None,
                        None,
                        f"holds a {kind_of_object} {other!r} that netmap does not make: "
                        "left behind",
                    )
                )
        if objects.get(RecordKind.INSTITUTION.value) != "table":
            raise NetmapError(f"{name}: not a netmap backup (it has no institutions table)")

        def rows(table: str, known: tuple[str, ...]) -> list[tuple[int, dict[str, Any]]]:
            label = f"{name}[{table}]"
            if table not in objects:
                return []  # made before netmap had it (sources: schema 3, accounts: 2)
            if objects[table] != "table":
                raise NetmapError(f"{label}: a {objects[table]}, not a table: not a netmap backup")
            present = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
            for column in present:
                if column not in known:
                    reading.problems.append(
                        Problem(label, None, column, f"not a column of netmap's {table} table")
                    )
            wanted = [column for column in known if column in present]
            query = f"SELECT rowid, {', '.join(wanted)} FROM {table} ORDER BY rowid"
            return [
                (row[0], dict(zip(wanted, row[1:], strict=True)))
                for row in connection.execute(query)
            ]

        for kind in RECORD_KINDS:
            codecs = column_codecs(kind)
            read = rows(kind.value, tuple(codecs))
            _add_table(reading, kind, f"{name}[{kind.value}]", read, codecs)
        reading.accounts = rows("accounts", ACCOUNT_COLUMNS)
        reading.changes = rows("changes", CHANGE_COLUMNS)
    return reading


def _read_json(path: Path, name: str) -> _Reading:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NetmapError(f"{name}: not a netmap backup ({exc})") from None
    if not isinstance(document, dict) or document.get("format") != "netmap":
        raise NetmapError(f"{name}: not a netmap backup")
    reading = _Reading(RawTables(source=name))
    tables = document.get("tables") or {}
    if not isinstance(tables, dict):
        raise NetmapError(f"{name}: not a netmap backup (its tables are not a mapping)")

    def rows(label: str, items: Any) -> list[tuple[int, dict[str, Any]]]:
        if items is None:
            return []
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise NetmapError(f"{label}: not a list of rows")
        return list(enumerate(items, start=1))

    for kind in RECORD_KINDS:
        label = f"{name}[{kind.value}]"
        read = rows(label, tables.get(kind.value))
        known = column_codecs(kind)
        for column in sorted({key for _, row in read for key in row} - set(known)):
            reading.problems.append(
                Problem(label, None, column, f"not a column of netmap's {kind.value} table")
            )
        _add_table(reading, kind, label, read, {c: "json" for c in known})
    for table, columns in (("accounts", ACCOUNT_COLUMNS), ("changes", CHANGE_COLUMNS)):
        label = f"{name}[{table}]"
        read = rows(label, document.get(table))
        for column in sorted({key for _, row in read for key in row} - set(columns)):
            reading.problems.append(Problem(label, None, column, f"not a column of {table}"))
        setattr(reading, table, read)
    return reading


def _add_table(
    reading: _Reading,
    kind: RecordKind,
    label: str,
    rows: list[tuple[int, dict[str, Any]]],
    codecs: dict[str, str],
) -> None:
    """Hand a backup's rows of ``kind`` to the import's validation, cells decoded.

    The store's bookkeeping (``updated_at``, ``version``) is not taken: restored records
    are written as new.
    """
    columns = [c for c in codecs if c not in Record.BOOKKEEPING]
    cells: list[list[Any]] = [[] for _ in columns]
    for number, row in rows:
        for position, column in enumerate(columns):
            cells[position].append(
                _cell(row.get(column), codecs[column], label, number, column, reading)
            )
    reading.raw.tables[kind] = RawTable(kind, label, columns, [n for n, _ in rows], cells)


def _cell(value: Any, codec: str, label: str, number: int, column: str, reading: _Reading) -> Any:
    """A stored cell as the import's validation takes it (a list cell as a list)."""
    if isinstance(value, bytes):
        reading.problems.append(Problem(label, number, column, "holds binary data, not text"))
        return None
    if codec != "list" or not isinstance(value, str):
        return value
    try:
        items = json.loads(value)
    except json.JSONDecodeError as exc:
        reading.problems.append(
            Problem(label, number, column, f"not a list ({exc.msg} at character {exc.pos})")
        )
        return None
    if not isinstance(items, list) or any(isinstance(i, (list, dict)) for i in items):
        reading.problems.append(Problem(label, number, column, f"not a list of values: {value!r}"))
        return None
    return items


def _valid_accounts(
    rows: list[tuple[int, dict[str, Any]]], label: str, problems: list[Problem]
) -> list[Account]:
    """The backup's accounts, each checked as ``netmap users add`` checks one."""
    from pydantic import TypeAdapter, ValidationError

    email_adapter: TypeAdapter[str | None] = TypeAdapter(Email)
    accounts: list[Account] = []
    first_row: dict[str, int] = {}
    for number, row in rows:
        found: list[Problem] = []
        name = clean_name(row.get("name")) if isinstance(row.get("name"), str) else None
        if not name:
            found.append(Problem(label, number, "name", "required, but empty"))
        elif len(name) > MAX_ACCOUNT_NAME or not name.isprintable():
            found.append(Problem(label, number, "name", "not a usable account name"))
        elif name in first_row:
            found.append(
                Problem(label, number, "name", f"{name!r} is also on row {first_row[name]}")
            )
        role = row.get("role")
        if not isinstance(role, str) or role not in _ROLES:
            found.append(
                Problem(
                    label, number, "role", f"unknown role {role!r} (one of: {', '.join(_ROLES)})"
                )
            )
        password_hash = row.get("password_hash")
        if password_hash is not None and (problem := _hash_problem(password_hash)):
            found.append(Problem(label, number, "password_hash", problem))
        email = row.get("email")
        if email is not None:
            try:
                email = email_adapter.validate_python(email)
                email = email.casefold() if email else None
            except ValidationError as exc:
                message = exc.errors()[0]["msg"].removeprefix("Value error, ")
                found.append(Problem(label, number, "email", message))
        created_at = row.get("created_at")
        if created_at is not None and not (isinstance(created_at, str) and len(created_at) <= 40):
            found.append(Problem(label, number, "created_at", f"{created_at!r} is not a time"))
        if password_hash is None and email is None and not found:
            found.append(Problem(label, number, "password_hash", "no password and no e-mail"))
        if found or not name or not isinstance(role, str):  # each of those found a problem
            problems.extend(found)
            continue
        first_row[name] = number
        accounts.append(Account(name, role, password_hash, email, created_at))
    return accounts


def _hash_problem(value: Any) -> str | None:
    """Why ``value`` is not a password hash netmap accepts, or None when it is one."""
    if not isinstance(value, str) or not value.startswith(("$argon2id$", "$argon2i$", "$argon2d$")):
        return "not an Argon2 password hash"
    try:
        parameters = extract_parameters(value)
    except InvalidHashError:
        return "not a well-formed Argon2 password hash"
    if (
        parameters.memory_cost > MAX_ARGON2_MEMORY_KIB
        or parameters.time_cost > MAX_ARGON2_TIME_COST
        or parameters.parallelism > MAX_ARGON2_PARALLELISM
    ):
        return "an Argon2 hash with costs so high that each sign-in would stall the server"
    return None


def _valid_history(
    rows: list[tuple[int, dict[str, Any]]], label: str, problems: list[Problem]
) -> list[Change]:
    """The backup's change log, oldest first, each entry's fields checked for type."""
    history: list[tuple[int, Change]] = []
    for number, row in rows:
        found: list[Problem] = []
        for column in ("seq", "revision"):
            value = row.get(column)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                found.append(Problem(label, number, column, f"{value!r} is not a whole number"))
        for column in ("at", "actor", "action", "kind", "record_id"):
            if not isinstance(row.get(column), str):
                found.append(Problem(label, number, column, "required text, but missing"))
        fields = row.get("fields")
        if isinstance(fields, str):
            try:
                fields = json.loads(fields)
            except json.JSONDecodeError as exc:
                found.append(Problem(label, number, "fields", f"not JSON ({exc.msg})"))
        if not found and not isinstance(fields, dict):
            found.append(Problem(label, number, "fields", "not a mapping of fields"))
        if found or not isinstance(fields, dict):  # not a dict: a problem was found
            problems.extend(found)
            continue
        history.append(
            (
                row["seq"],
                Change(
                    row["seq"],
                    row["at"],
                    row["actor"],
                    row["action"],
                    row["kind"],
                    row["record_id"],
                    fields,
                    row["revision"],
                ),
            )
        )
    history.sort(key=lambda item: item[0])
    return [change for _, change in history]


# --- making a backup -------------------------------------------------------------------


def _content(network: Network) -> dict[str, list[dict[str, Any]]]:
    """A network's records without bookkeeping, ordered by id: what a backup must keep."""
    return {
        kind.value: sorted(
            (
                {k: v for k, v in row.items() if k not in ("updated_at", "version")}
                for row in iter_rows(network[kind])
            ),
            key=lambda row: row["id"],
        )
        for kind in RECORD_KINDS
    }


def _plain(store: GraphStore) -> GraphStore:
    """The store under a guard (the guard has been passed already), else the store."""
    return getattr(store, "store", store)


def backup(store: GraphStore, acting: User, out: str | Path) -> Path:
    """Write a backup of ``store`` to ``out`` and check it reads back the same.

    A SQLite store gives a SQLite file; any other store a ``.json`` document. When the
    backup cannot be written whole (a full disk), what was written is removed and the
    error says so in one line.
    """
    require(acting, Action.BACKUP)
    out = Path(out)
    if out.exists():
        raise NetmapError(f"{out}: already exists; choose a new file name")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NetmapError(f"{out}: cannot create its folder ({exc.strerror})") from None
    plain = _plain(store)
    try:
        _write_backup(plain, out)
    except (sqlite3.Error, OSError) as exc:
        _remove_partial(out)
        raise NetmapError(
            f"{out}: the backup could not be written ({_why(exc)}); the partial file was removed"
        ) from None
    try:
        copy = read_backup(out, private_copy=False)
    except NetmapError as exc:
        _remove_partial(out)
        raise NetmapError(f"{out}: the backup does not read back ({exc}); it was removed") from None
    same = _content(copy.network()) == _content(plain.snapshot()) and sorted(
        (a.name, a.role) for a in copy.accounts
    ) == sorted((a.name, a.role) for a in plain.accounts())
    if not same:
        _remove_partial(out)
        raise NetmapError(f"{out}: the backup did not read back the same; it was removed")
    return out


def backup_folder(store: GraphStore) -> Path:
    """Where the app writes backups on the server: ``NETMAP_BACKUP_DIR``, else a
    ``backups`` folder beside a SQLite store, else one in the user's data folder.

    The app never sends a backup to the browser: a download passes through Streamlit's
    media store, where anyone who learns its address can fetch it while it is kept.
    """
    configured = os.environ.get("NETMAP_BACKUP_DIR")
    if configured:
        return Path(configured).expanduser()
    plain = _plain(store)
    if isinstance(plain, SQLiteStore):
        return plain.path.parent / "backups"
    return Path(user_data_dir("netmap", appauthor=False)) / "backups"


def backup_to_folder(store: GraphStore, acting: User, folder: str | Path, stem: str) -> Path:
    """Back ``store`` up into ``folder`` (made readable by this user only) as
    ``stem.db`` (SQLite) or ``stem.json``; return the file."""
    require(acting, Action.BACKUP)
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise NetmapError(f"{folder}: cannot create the backup folder ({exc.strerror})") from None
    suffix = "db" if isinstance(_plain(store), SQLiteStore) else "json"
    written = backup(store, acting, folder / f"{stem}.{suffix}")
    written.chmod(0o600)
    return written


def _write_backup(plain: GraphStore, out: Path) -> None:
    if isinstance(plain, SQLiteStore):
        with (
            closing(sqlite3.connect(plain.path)) as source,
            closing(sqlite3.connect(out)) as target,
        ):
            source.backup(target)
            # One self-contained file: a copy of a store in write-ahead-log mode would
            # otherwise say so in its header, and its readers look for a log beside it.
            target.execute("PRAGMA journal_mode = DELETE")
        return
    document = network_document(plain.snapshot())
    document["accounts"] = [asdict(account) for account in plain.accounts()]
    document["changes"] = [asdict(change) for change in reversed(plain.changes(limit=None))]
    with out.open("w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False)


def _remove_partial(out: Path) -> None:
    for path in (out, *(out.with_name(out.name + end) for end in ("-journal", "-wal", "-shm"))):
        path.unlink(missing_ok=True)


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return "the disk is full"
    message = str(exc)
    if "full" in message or "disk I/O" in message:
        return f"the disk is full or failing: {message}"
    return message


# --- restoring -------------------------------------------------------------------------


def restore(
    store: GraphStore,
    acting: User,
    source: str | Path | BackupContents,
    *,
    accept_accounts: bool = False,
) -> dict[str, int]:
    """Replace everything in ``store`` with the backup ``source``; return the record counts.

    The backup is read and validated whole (:func:`read_backup`) before the store is
    touched. Raises :class:`AccountsChange` when it would leave no admin or remove every
    account, unless ``accept_accounts``. The revision moves forward, so no cached view
    of the old content survives.
    """
    require(acting, Action.BACKUP)
    contents = source if isinstance(source, BackupContents) else read_backup(source)
    risks = account_risks(store.accounts(), contents.accounts)
    if risks and not accept_accounts:
        raise AccountsChange(contents.name, risks)
    store.replace_everything(contents.batch, contents.accounts, contents.history, contents.name)
    restored = store.counts()
    if restored != contents.counts():
        raise NetmapError(
            f"restore incomplete: the backup holds {contents.counts()}, the store {restored}"
        )
    return {kind.value: restored[kind] for kind in RecordKind}
