"""Backups of a whole store, verified by reading them back.

An embedded store is copied with SQLite's online backup (consistent while in use, change
log and accounts included). Any other store is written as one JSON document in the table
format with its accounts. A restore replaces the store's whole content.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from netmap.access import Action, User, require
from netmap.errors import NetmapError
from netmap.io.export import network_document
from netmap.model import RECORD_KINDS, RecordKind
from netmap.store.base import Account, GraphStore, Network
from netmap.store.sqlite import SQLiteStore

SQLITE_HEADER = b"SQLite format 3\x00"


def _content(network: Network) -> dict[str, list[dict[str, Any]]]:
    """A network's records without bookkeeping, ordered by id: what a backup must keep."""
    return {
        kind.value: sorted(
            (
                {k: v for k, v in row.items() if k not in ("updated_at", "version")}
                for row in network[kind].to_dict("records")
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

    A SQLite store gives a SQLite file; any other store a ``.json`` document.
    """
    require(acting, Action.BACKUP)
    out = Path(out)
    if out.exists():
        raise NetmapError(f"{out}: already exists; choose a new file name")
    out.parent.mkdir(parents=True, exist_ok=True)
    plain = _plain(store)
    if isinstance(plain, SQLiteStore):
        with sqlite3.connect(plain.path) as source, sqlite3.connect(out) as target:
            source.backup(target)
        copy = _content(SQLiteStore(out, actor="backup-check").snapshot())
    else:
        document = network_document(plain.snapshot())
        document["accounts"] = [account.__dict__ for account in plain.accounts()]
        out.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        copy = _content(_network_from_document(document))
    if copy != _content(plain.snapshot()):
        out.unlink()
        raise NetmapError(f"{out}: the backup did not read back the same; it was removed")
    return out


def _network_from_document(document: dict[str, Any]) -> Network:
    tables = document.get("tables", {})
    return Network.from_rows({kind: tables.get(kind.value, []) for kind in RECORD_KINDS})


def _read_backup(path: Path) -> tuple[Network, list[Account]]:
    if not path.is_file():
        raise NetmapError(f"{path}: no such backup file")
    if _is_sqlite(path):
        source = SQLiteStore(path, actor="restore")
        return source.snapshot(), source.accounts()
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NetmapError(f"{path}: not a netmap backup ({exc})") from None
    if document.get("format") != "netmap":
        raise NetmapError(f"{path}: not a netmap backup")
    accounts = [Account(**account) for account in document.get("accounts", [])]
    return _network_from_document(document), accounts


def restore(store: GraphStore, acting: User, source: str | Path) -> dict[str, int]:
    """Replace everything in ``store`` with the backup ``source``; return the record counts.

    The backup is read and validated whole before the store is touched. Into a SQLite
    store the replacement is one atomic page copy (the backup's change log comes along);
    into Neo4j it is a wipe and one all-or-nothing write. The revision moves forward
    either way, so no cached view of the old content survives.
    """
    require(acting, Action.BACKUP)
    source = Path(source)
    network, accounts = _read_backup(source)
    plain = _plain(store)
    if isinstance(plain, SQLiteStore):
        _restore_sqlite(plain, source, network, accounts)
    else:
        plain.erase_everything()
        plain.write(network.record_set())
        for account in accounts:
            plain.save_account(account)
    restored = plain.counts()
    if restored != network.counts():
        raise NetmapError(
            f"restore incomplete: the backup holds {network.counts()}, the store {restored}"
        )
    return {kind.value: restored[kind] for kind in RecordKind}


def _restore_sqlite(
    target: SQLiteStore, source: Path, network: Network, accounts: list[Account]
) -> None:
    revision = target.revision()
    with tempfile.TemporaryDirectory() as folder:
        if _is_sqlite(source):
            copy_from = source
        else:
            staged = SQLiteStore(Path(folder) / "staged.db", actor=target.actor)
            staged.write(network.record_set())
            for account in accounts:
                staged.save_account(account)
            copy_from = staged.path
        with sqlite3.connect(copy_from) as origin, sqlite3.connect(target.path) as destination:
            origin.backup(destination)
    target.mark_restored(revision, str(source.name))


def _is_sqlite(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
