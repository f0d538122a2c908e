"""The ``netmap`` command: a thin layer over the library.

Each command parses its options, calls library functions and prints their result. Every
error a user can cause becomes one clear line on stderr and exit status 1.
"""

from __future__ import annotations

import functools
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from netmap import __version__
from netmap.access import Action, GuardedStore, Role, User, allowed
from netmap.accounts import find_account
from netmap.errors import NetmapError, ValidationFailed
from netmap.export import FORMATS, export_network
from netmap.io import import_into
from netmap.io.importer import ImportReport
from netmap.model import RECORD_KINDS, RecordKind
from netmap.resources import data_file
from netmap.store import GraphStore, current_user, default_store_url, open_store
from netmap.taxonomy import load_taxonomy

app = typer.Typer(
    name="netmap",
    help="A directory and contact graph of the institutions that fight human trafficking.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        envvar="NETMAP_STORE",
        help="Store URL: sqlite:///path/netmap.db (default: your data folder) or neo4j://…",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def command(*args: Any, group: typer.Typer | None = None, **kwargs: Any):
    """Register a command (on ``group``, else the main app) whose errors print as one line."""

    def register(function):
        @functools.wraps(function)
        def run(*a: Any, **kw: Any):
            try:
                return function(*a, **kw)
            except ValidationFailed as failed:
                for problem in failed.problems:
                    err.print(str(problem), markup=False)
                count = len(failed.problems)
                err.print(f"{count} error{'s' * (count != 1)}: nothing was written.")
                raise typer.Exit(1) from None
            except NetmapError as error:
                err.print(f"error: {error}", markup=False)
                raise typer.Exit(1) from None

        return (group or app).command(*args, **kwargs)(run)

    return register


def _version(value: bool) -> None:
    if value:
        out.print(f"netmap {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    store: StoreOption = None,
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            envvar="NETMAP_USER",
            help="Act as this account, with its role (default: you, as admin).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Map, analyse and explore anti-trafficking cooperation networks."""
    ctx.obj = {"store": store, "user": user}


def acting_user(store: GraphStore, name: str | None) -> User:
    """Who the command acts as: the named account, else the computer's user as admin.

    Whoever can run netmap against a store already holds its file or its server
    credentials, so local use is admin; ``--user`` acts with an account's (lesser) role,
    e.g. to produce exactly what a viewer would see.
    """
    if name:
        account = find_account(store, name)
        return User(account.name, Role.parse(account.role))
    return User(current_user(), Role.ADMIN)


def _store(ctx: typer.Context) -> GuardedStore:
    options = ctx.obj or {}
    store = open_store(options.get("store"))
    return GuardedStore(store, acting_user(store, options.get("user")))


def _table(title: str | None, headers: list[str], rows: list[list[Any]]) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False, header_style="bold")
    for header in headers:
        table.add_column(
            header,
            justify="right" if header in ("count", "new", "updated", "unchanged") else "left",
        )
    for row in rows:
        table.add_row(*(str(cell) for cell in row))
    return table


def _print_report_messages(report: ImportReport) -> None:
    for notice in report.notices:
        err.print(f"note: {notice}", markup=False)
    for warning in report.warnings:
        err.print(f"warning: {warning}", markup=False)


def progress_bar(disable: bool = False) -> Progress:
    """netmap's progress bar on stderr (what is being done, the bar, how many of how
    many, the time so far); it disappears when the work is done."""
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    return Progress(*columns, console=err, transient=True, disable=disable)


def _write_with_progress(store: GraphStore, source: Any, dry_run: bool) -> ImportReport:
    with progress_bar() as progress:
        checking = progress.add_task("Checking rows", total=None)
        writing = progress.add_task("Writing", total=None, visible=False)

        def checked(done: int, total: int) -> None:
            progress.update(checking, completed=done, total=total)

        def written(done: int, total: int) -> None:
            progress.update(writing, completed=done, total=total, visible=True)

        return import_into(
            store,
            source,
            dry_run=dry_run,
            progress=written,
            checking=checked,
            on_report=_print_report_messages,
        )


def _print_plan(report: ImportReport, dry_run: bool) -> None:
    rows = [[r["table"], r["new"], r["updated"], r["unchanged"]] for r in report.plan.summary()]
    out.print(_table(None, ["table", "new", "updated", "unchanged"], rows))
    if dry_run:
        out.print("Dry run: nothing was written.")
    elif report.plan.changes == 0:
        out.print("Nothing changed: the store already holds exactly this.")


@command("import")
def import_command(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A folder of CSV files, a .zip of them, or .xlsx.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and show what would change; write nothing.")
    ] = False,
) -> None:
    """Import a network in the table format (all or nothing)."""
    store = _store(ctx)
    report = _write_with_progress(store, path, dry_run)
    _print_plan(report, dry_run)
    if not dry_run:
        out.print(f"Imported into {store.url}.")


@command("init")
def init_command(
    ctx: typer.Context,
    demo: Annotated[
        bool, typer.Option("--demo", help="Load the demo network built from the sources.")
    ] = False,
) -> None:
    """Create the store (if new), optionally with the demo network."""
    store = _store(ctx)
    if demo:
        report = _write_with_progress(store, data_file("demo"), dry_run=False)
        _print_plan(report, dry_run=False)
    counts = store.counts()
    out.print(
        f"Store ready at {store.url}: {counts[RecordKind.INSTITUTION]} institutions, "
        f"{counts[RecordKind.TIE]} ties."
    )


def _infer_format(out_path: Path, fmt: str | None) -> str:
    if fmt:
        return fmt.casefold()
    suffix = out_path.suffix.casefold().lstrip(".")
    return suffix if suffix in FORMATS else "csv"


@command("export")
def export_command(
    ctx: typer.Context,
    out_path: Annotated[Path, typer.Argument(metavar="OUT", help="A folder (csv) or a file.")],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help=f"One of {', '.join(FORMATS)} (default: from OUT's ending)."
        ),
    ] = None,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            help="Leave out contacts (people's personal data); always so below member.",
        ),
    ] = False,
) -> None:
    """Export the network: CSV folder, xlsx, JSON, GraphML or GEXF (for Gephi)."""
    fmt = _infer_format(out_path, fmt)
    store = _store(ctx)
    if not redact and not allowed(store.user, Action.READ_PERSONAL):
        # Below member, an export never holds the contacts table, asked or not.
        redact = True
        err.print(f"note: contacts are left out: a {store.user.role} does not see them")
    written = export_network(store.snapshot(), out_path, fmt, redact=redact)
    for path in written:
        out.print(f"wrote {path}")


def network_stats(store: GraphStore) -> dict[str, Any]:
    """Counts of records, and of institutions by country and sector, and ties by kind."""
    network = store.snapshot()
    taxonomy = load_taxonomy()
    return {
        "store": store.url,
        "revision": store.revision(),
        "counts": {kind.value: n for kind, n in network.counts().items()},
        "institutions_by_country": dict(Counter(network.institutions["country"]).most_common()),
        "institutions_by_sector": {
            taxonomy.label("sectors", k): n
            for k, n in Counter(network.institutions["sector"]).most_common()
        },
        "ties_by_kind": {
            taxonomy.label("tie_kinds", k): n
            for k, n in Counter(network.ties["kind"]).most_common()
        },
    }


@command("stats")
def stats_command(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Counts by table, country, sector and tie kind."""
    stats = network_stats(_store(ctx))
    if as_json:
        out.print_json(json.dumps(stats, ensure_ascii=False))
        return
    out.print(f"{stats['store']} (revision {stats['revision']})")
    out.print(_table("Records", ["table", "count"], [[k, v] for k, v in stats["counts"].items()]))
    for key, title, header in (
        ("institutions_by_country", "Institutions by country", "country"),
        ("institutions_by_sector", "Institutions by sector", "sector"),
        ("ties_by_kind", "Ties by kind", "kind"),
    ):
        out.print()
        out.print(_table(title, [header, "count"], [[k, v] for k, v in stats[key].items()]))


@command("serve")
def serve_command(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8501,
    host: Annotated[
        str, typer.Option(help="Address to listen on (127.0.0.1: this computer only).")
    ] = "127.0.0.1",
    demo: Annotated[
        bool, typer.Option("--demo", help="Load the demo network first if the store is empty.")
    ] = False,
    open_browser: Annotated[
        bool, typer.Option("--open/--no-open", help="Open the app in the web browser.")
    ] = True,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="In team mode, a name other computers reach the app by (repeatable; "
            "default: NETMAP_ALLOWED_HOSTS, comma-separated). A browser that names the "
            "server otherwise is refused.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Start the netmap app in your web browser."""
    from netmap.serve import serve  # Streamlit is only imported to serve

    url = (ctx.obj or {}).get("store") or default_store_url()
    store = open_store(url)
    if demo and store.counts()[RecordKind.INSTITUTION] == 0:
        import_into(store, data_file("demo"))
    raise typer.Exit(
        serve(
            url,
            host=host,
            port=port,
            open_browser=open_browser,
            shown_store=store.url,
            hosts=allowed_host or None,
        )
    )


def main() -> None:
    """Console-script entry point."""
    app(prog_name="netmap")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


__all__ = ["RECORD_KINDS", "app", "main"]

import netmap.cli_analysis  # registers the analysis commands
import netmap.cli_privacy
import netmap.cli_store  # noqa: F401  registers sync
