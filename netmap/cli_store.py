"""``netmap sync``: copy a whole network between two stores (SQLite <-> Neo4j).

Registered on the ``netmap`` command by the import at the end of :mod:`netmap.cli`.
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from netmap.access import Action, GuardedStore, require
from netmap.cli import acting_user, command, out, progress_bar
from netmap.errors import StoreUnavailable
from netmap.store import GraphStore, open_store
from netmap.store.sqlite import sqlite_path_from_url
from netmap.sync import sync


def _open_existing(url: str) -> GraphStore:
    """Open the store to copy from, refusing a SQLite file that does not exist.

    Opening a SQLite URL creates the file; a mistyped source would otherwise be copied
    as an empty network.
    """
    if url.startswith("sqlite:") or "://" not in url:
        path = sqlite_path_from_url(url) if url.startswith("sqlite:") else Path(url)
        if not path.expanduser().is_file():
            raise StoreUnavailable(f"{url}: there is no store file to copy from")
    return open_store(url)


def _guarded(store: GraphStore, user_name: str | None) -> GuardedStore:
    """``store`` seen with the role ``--user`` holds there (you, as admin, by default)."""
    return GuardedStore(store, acting_user(store, user_name))


@command("sync")
def sync_command(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Option(
            "--from", help="The store to copy from: sqlite:///path/netmap.db or neo4j://…"
        ),
    ],
    target: Annotated[
        str,
        typer.Option(
            "--to",
            help="The store to copy into (created if it is a new SQLite file). Records are "
            "added or updated by id; none are deleted.",
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Copy a whole network from one store to another (all or nothing), then verify it.

    Needs a member's role in the source (the copy carries contacts' personal details)
    and an editor's in the target.
    """
    user_name = (ctx.obj or {}).get("user")
    with ExitStack() as stores:
        opened = _open_existing(source)
        stores.callback(opened.close)
        source_store = _guarded(opened, user_name)
        require(source_store.user, Action.READ_PERSONAL)
        opened = open_store(target)
        stores.callback(opened.close)
        target_store = _guarded(opened, user_name)
        with progress_bar(disable=dry_run) as bar:
            task = bar.add_task("Copying", total=None)
            result = sync(
                source_store,
                target_store,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                dry_run=dry_run,
            )
    if as_json:
        out.print_json(json.dumps(result, ensure_ascii=False))
        return
    table = Table(show_edge=False, header_style="bold")
    for header in ("table", "new", "updated", "unchanged", "in target", "only in target"):
        table.add_column(header, justify="left" if header == "table" else "right")
    for row in result["plan"]:
        name = row["table"]
        table.add_row(
            name,
            str(row["new"]),
            str(row["updated"]),
            str(row["unchanged"]),
            str(result["counts"][name]),
            str(result["kept"][name]),
        )
    out.print(table)
    if dry_run:
        out.print("Dry run: nothing was written.")
    elif not result["written"]:
        out.print(f"Nothing changed: {result['target']} already holds all of {result['source']}.")
    else:
        out.print(
            f"Copied {result['source']} into {result['target']} "
            f"(revision {result['revision']}); counts verified."
        )
