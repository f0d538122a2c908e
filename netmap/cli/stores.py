"""``netmap sync``: copy a whole network between two stores (SQLite <-> Neo4j)."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from netmap.cli.base import Commands, acting_user, out, print_json, progress_bar, table
from netmap.errors import StoreUnavailable
from netmap.i18n import N_
from netmap.i18n import gettext as _

if TYPE_CHECKING:
    from netmap.access import GuardedStore
    from netmap.store import GraphStore

commands = Commands()


def _open_existing(url: str) -> GraphStore:
    """Open the store to copy from, refusing a SQLite file that does not exist.

    Opening a SQLite URL creates the file; a mistyped source would otherwise be copied
    as an empty network.
    """
    from netmap.store import open_store
    from netmap.store.sqlite import sqlite_path_from_url

    if url.startswith("sqlite:") or "://" not in url:
        path = sqlite_path_from_url(url) if url.startswith("sqlite:") else Path(url)
        if not path.expanduser().is_file():
            raise StoreUnavailable(f"{url}: there is no store file to copy from")
    return open_store(url)


def _guarded(store: GraphStore, user_name: str | None) -> GuardedStore:
    """``store`` seen with the role ``--user`` holds there (you, as admin, by default)."""
    from netmap.access import GuardedStore

    return GuardedStore(store, acting_user(store, user_name))


@commands.command("sync")
def sync_command(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Option(
            "--from", help=N_("The store to copy from: sqlite:///path/netmap.db or neo4j://…")
        ),
    ],
    target: Annotated[
        str,
        typer.Option(
            "--to",
            help=N_(
                "The store to copy into (created if it is a new SQLite file). Records are "
                "added or updated by id; none are deleted."
            ),
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=N_("Show what would change; write nothing."))
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help=N_("Print JSON for scripts."))] = False,
) -> None:
    """Copy a whole network from one store to another (all or nothing), then verify it.

    Needs a member's role in the source (the copy carries contacts' personal details)
    and an editor's in the target.
    """
    from netmap.access import Action, require
    from netmap.store import open_store
    from netmap.sync import sync

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
        print_json(result)
        return
    headers = [
        _("table"),
        _("new"),
        _("updated"),
        _("unchanged"),
        _("in target"),
        _("only in target"),
    ]
    rows = [
        [
            row["table"],
            row["new"],
            row["updated"],
            row["unchanged"],
            result["counts"][row["table"]],
            result["kept"][row["table"]],
        ]
        for row in result["plan"]
    ]
    out.print(table(None, headers, rows))
    if dry_run:
        out.print(_("Dry run: nothing was written."))
    elif not result["written"]:
        out.print(
            _("Nothing changed: %(target)s already holds all of %(source)s.") % result,
            markup=False,
        )
    else:
        out.print(
            _("Copied %(source)s into %(target)s (revision %(revision)s); counts verified.")
            % result,
            markup=False,
        )
