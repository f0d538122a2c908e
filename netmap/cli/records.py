"""The commands about the records themselves: init, import, export, stats and serve."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from netmap.cli.base import (
    Commands,
    JsonOption,
    err,
    guarded_store,
    out,
    print_json,
    progress_bar,
    table,
)
from netmap.i18n import N_, format_number, ngettext
from netmap.i18n import gettext as _

if TYPE_CHECKING:
    from netmap.io.plan import ImportReport
    from netmap.store.base import GraphStore

commands = Commands()


#: Up to this many notes (warnings) are printed one by one; past it, the first
#: :data:`FIRST_SHOWN`, a count by field, and a file holding every one. At 100,000
#: institutions an import found 1,740 names that look alike: a terminal of them hides the
#: rest of the report.
ALL_SHOWN_UP_TO = 10
FIRST_SHOWN = 5


def _print_report_messages(report: ImportReport) -> None:
    _print_messages("note", [(str(notice), None) for notice in report.notices])
    _print_messages("warning", [(str(w), w.field) for w in report.warnings])


#: How each note and warning of an import is printed.
_MESSAGE_LINES = {"note": N_("note: %(message)s"), "warning": N_("warning: %(message)s")}


def _print_messages(label: str, messages: list[tuple[str, str | None]]) -> None:
    """Print ``messages`` (text, field) as ``label: text`` lines, or, when there are many,
    the first few and where to read them all."""
    line = _(_MESSAGE_LINES[label])
    lines = [line % {"message": text} for text, _field in messages]
    if len(lines) <= ALL_SHOWN_UP_TO:
        for shown in lines:
            err.print(shown, markup=False)
        return
    import tempfile

    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", prefix=f"netmap-import-{label}s-", suffix=".txt", delete=False
    ) as handle:
        handle.writelines(shown + "\n" for shown in lines)
    for shown in lines[:FIRST_SHOWN]:
        err.print(shown, markup=False)
    by_field = Counter(field for _text, field in messages if field)
    counts = ", ".join(
        f"{field}: {count:,}" for field, count in sorted(by_field.items(), key=lambda i: -i[1])
    )
    err.print(
        f"{len(messages):,} {label}s in all{f' ({counts})' if counts else ''}; the first "
        f"{FIRST_SHOWN} above, every one in {handle.name}",
        markup=False,
    )


def _write_with_progress(
    store: GraphStore,
    source: Any,
    dry_run: bool,
    clear_empty: bool = False,
    overwrite_conflicts: bool = False,
) -> ImportReport:
    from netmap.io import import_into

    with progress_bar() as progress:
        checking = progress.add_task(_("Checking rows"), total=None)
        writing = progress.add_task(_("Writing"), total=None, visible=False)

        def checked(done: int, total: int) -> None:
            progress.update(checking, completed=done, total=total)

        def written(done: int, total: int) -> None:
            progress.update(writing, completed=done, total=total, visible=True)

        return import_into(
            store,
            source,
            dry_run=dry_run,
            clear_empty=clear_empty,
            overwrite_conflicts=overwrite_conflicts,
            progress=written,
            checking=checked,
            on_report=_print_report_messages,
        )


# Rows of the field-by-field table a terminal shows, and the most new records listed in
# it (a first import of a whole directory is counted, not listed); --json gives all.
_SHOWN_ROWS = 200
_LISTED_NEW = 50


def _print_plan(report: ImportReport, dry_run: bool, details: bool = True) -> None:
    from netmap.io.plan import ROW_COLUMNS, Outcome, frame_header

    plan = report.plan
    assert plan is not None, "import_into plans (or writes) every report it returns"
    rows = [
        [r["table"], r["new"], r["updated"], r["unchanged"]]
        for r in plan.summary()
        if r["new"] or r["updated"] or r["unchanged"]  # the tables the file has
    ]
    out.print(table(None, [_("table"), _("new"), _("updated"), _("unchanged")], rows))
    if details:
        every = list(plan.rows())
        changed = [row for row in every if row["outcome"] != Outcome.NEW]
        new = [row for row in every if row["outcome"] == Outcome.NEW]
        listed = changed + (new if len(new) <= _LISTED_NEW else [])
        if listed:
            out.print()
            shown = [[row[c] for c in ("table", "record", "field", "before", "in_file", "after",
                                       "what")] for row in listed[:_SHOWN_ROWS]]  # fmt: skip
            title = _("What the import would change") if dry_run else _("What the import changed")
            headers = [frame_header(column) for column in ROW_COLUMNS[:-1]]
            out.print(table(title, headers, shown))
        if len(listed) > _SHOWN_ROWS:
            more = len(listed) - _SHOWN_ROWS
            out.print(
                ngettext(
                    "… and %(count)s more row: --json lists every one.",
                    "… and %(count)s more rows: --json lists every one.",
                    more,
                )
                % {"count": format_number(more)}
            )
        if len(new) > _LISTED_NEW:
            out.print(
                ngettext(
                    "%(count)s new record (counted above): --json lists every one.",
                    "%(count)s new records (counted above): --json lists every one.",
                    len(new),
                )
                % {"count": format_number(len(new))}
            )
        for note in plan.notes:
            # Translators: a remark of the import, e.g. "note: the file was imported before…"
            out.print(_("note: %(note)s") % {"note": note}, markup=False)
        conflicts = plan.conflicts
        if conflicts:
            count = len(conflicts)
            if plan.overwrite_conflicts:
                said = ngettext(
                    "%(count)d conflict: a value changed in the store after the file's date is "
                    "overwritten with the file's, as asked:",
                    "%(count)d conflicts: values changed in the store after the file's date are "
                    "overwritten with the file's, as asked:",
                    count,
                )
            else:
                said = ngettext(
                    "%(count)d conflict: a value changed in the store after the file's date is "
                    "kept as it is (--overwrite-conflicts takes the file's value instead):",
                    "%(count)d conflicts: values changed in the store after the file's date are "
                    "kept as they are (--overwrite-conflicts takes the file's values instead):",
                    count,
                )
            out.print(said % {"count": count})
            for change in conflicts:
                out.print(
                    f"  {change.file}:{change.row}: {change.field}: {change.why}", markup=False
                )
        kept = plan.count(Outcome.KEPT)
        if kept:
            out.print(
                ngettext(
                    "%(count)d empty cell keeps the stored value (--clear-empty empties it "
                    "instead).",
                    "%(count)d empty cells keep the stored values (--clear-empty empties them "
                    "instead).",
                    kept,
                )
                % {"count": kept}
            )
    if dry_run:
        out.print(_("Dry run: nothing was written."))
    elif plan.changes == 0:
        out.print(
            _("Nothing changed: the store already holds exactly this.")
            if not plan.fields
            else _("Nothing changed: every value that differs was kept (see above).")
        )


@commands.command("import")
def import_command(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(help=N_("A folder of CSV files, a .zip of them, or .xlsx."))
    ],
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help=N_("Check and show what would change, field by field; write nothing.")
        ),
    ] = False,
    clear_empty: Annotated[
        bool,
        typer.Option(
            "--clear-empty",
            help="Let an empty cell empty the stored value (by default it keeps it).",
        ),
    ] = False,
    overwrite_conflicts: Annotated[
        bool,
        typer.Option(
            "--overwrite-conflicts",
            help="Take the file's value also where the store's was changed after the "
            "file's date (by default such a conflict keeps the store's value).",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Import a network in the table format (all or nothing, never silently overwriting)."""
    store = guarded_store(ctx)
    report = _write_with_progress(store, path, dry_run, clear_empty, overwrite_conflicts)
    if as_json:
        assert report.plan is not None, "import_into plans (or writes) every report it returns"
        print_json(report.plan.as_json())
        return
    _print_plan(report, dry_run)
    if not dry_run:
        out.print(_("Imported into %(store)s.") % {"store": store.url}, markup=False)


@commands.command("init")
def init_command(
    ctx: typer.Context,
    demo: Annotated[
        bool, typer.Option("--demo", help=N_("Load the demo network built from the sources."))
    ] = False,
) -> None:
    """Create the store (if new), optionally with the demo network."""
    from netmap.model import RecordKind
    from netmap.resources import data_file

    store = guarded_store(ctx)
    if demo:
        report = _write_with_progress(store, data_file("demo"), dry_run=False)
        _print_plan(report, dry_run=False, details=False)
    counts = store.counts()
    institutions, ties = counts[RecordKind.INSTITUTION], counts[RecordKind.TIE]
    out.print(
        _("Store ready at %(store)s: %(institutions)s, %(ties)s.")
        % {
            "store": store.url,
            "institutions": ngettext(
                "%(count)d institution", "%(count)d institutions", institutions
            )
            % {"count": institutions},
            "ties": ngettext("%(count)d tie", "%(count)d ties", ties) % {"count": ties},
        },
        markup=False,
    )


def _infer_format(out_path: Path, fmt: str | None) -> str:
    if fmt:
        return fmt.casefold()
    suffix = out_path.suffix.casefold().lstrip(".")
    from netmap.export import FORMATS

    return suffix if suffix in FORMATS else "csv"


@commands.command("export")
def export_command(
    ctx: typer.Context,
    out_path: Annotated[Path, typer.Argument(metavar="OUT", help=N_("A folder (csv) or a file."))],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            # written out, not read from netmap.export: --help must not load pandas
            help=N_("One of csv, xlsx, json, graphml, gexf (default: from OUT's ending)."),
        ),
    ] = None,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            help=N_("Leave out contacts (people's personal data); always so below member."),
        ),
    ] = False,
) -> None:
    """Export the network: CSV folder, xlsx, JSON, GraphML or GEXF (for Gephi)."""
    from netmap.access import Action, allowed
    from netmap.export import export_network

    fmt = _infer_format(out_path, fmt)
    store = guarded_store(ctx)
    if not redact and not allowed(store.user, Action.READ_PERSONAL):
        # Below member, an export never holds the contacts table, asked or not.
        redact = True
        err.print(
            _("note: contacts are left out: a %(role)s does not see them")
            % {"role": store.user.role}
        )
    written = export_network(store.snapshot(), out_path, fmt, redact=redact)
    for path in written:
        out.print(_("wrote %(path)s") % {"path": path}, markup=False)


def network_stats(store: GraphStore) -> dict[str, Any]:
    """Counts of records, and of institutions by country and sector, and ties by kind.

    Counted by the store (``counts`` and ``tally``), without reading the records: at
    100,000 institutions a snapshot took 10 s and 1.4 GB for these few numbers.
    """
    from netmap.model import RecordKind
    from netmap.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    return {
        "store": store.url,
        "revision": store.revision(),
        "counts": {kind.value: n for kind, n in store.counts().items()},
        "institutions_by_country": dict(store.tally(RecordKind.INSTITUTION, "country")),
        "institutions_by_sector": {
            taxonomy.label("sectors", k): n
            for k, n in store.tally(RecordKind.INSTITUTION, "sector")
        },
        "ties_by_kind": {
            taxonomy.label("tie_kinds", k): n for k, n in store.tally(RecordKind.TIE, "kind")
        },
    }


@commands.command("stats")
def stats_command(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Counts by table, country, sector and tie kind."""
    stats = network_stats(guarded_store(ctx))
    if as_json:
        print_json(stats)
        return
    out.print(
        _("%(store)s (revision %(revision)s)")
        % {"store": stats["store"], "revision": stats["revision"]},
        markup=False,
    )
    out.print(
        table(_("Records"), [_("table"), _("count")], [[k, v] for k, v in stats["counts"].items()])
    )
    for key, title, header in (
        ("institutions_by_country", _("Institutions by country"), _("country")),
        ("institutions_by_sector", _("Institutions by sector"), _("sector")),
        ("ties_by_kind", _("Ties by kind"), _("kind")),
    ):
        out.print()
        out.print(table(title, [header, _("count")], [[k, v] for k, v in stats[key].items()]))


@commands.command("serve")
def serve_command(
    ctx: typer.Context,
    port: Annotated[
        str,
        typer.Option(
            metavar="N|auto",
            help=N_("Port to serve on; auto takes the first free one from 8501 on."),
        ),
    ] = "8501",
    host: Annotated[
        str, typer.Option(help=N_("Address to listen on (127.0.0.1: this computer only)."))
    ] = "127.0.0.1",
    demo: Annotated[
        bool, typer.Option("--demo", help=N_("Load the demo network first if the store is empty."))
    ] = False,
    open_browser: Annotated[
        bool, typer.Option("--open/--no-open", help=N_("Open the app in the web browser."))
    ] = True,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help=N_(
                "In team mode, a name other computers reach the app by (repeatable; "
                "default: NETMAP_ALLOWED_HOSTS, comma-separated). A browser that names the "
                "server otherwise is refused."
            ),
            show_default=False,
        ),
    ] = None,
) -> None:
    """Start the netmap app in your web browser."""
    from netmap.serve import DEFAULT_PORT, choose_port, parse_port

    # Before anything else: a busy port is named, and nothing is opened or started.
    wanted = parse_port(port)
    chosen = choose_port(host, wanted)
    if wanted is None and chosen != DEFAULT_PORT:
        out.print(f"Port {DEFAULT_PORT} is in use: netmap takes port {chosen}.")

    from netmap.io import import_into
    from netmap.model import RecordKind
    from netmap.resources import data_file
    from netmap.serve import serve  # Streamlit is only imported to serve
    from netmap.store import default_store_url, open_store

    url = (ctx.obj or {}).get("store") or default_store_url()
    store = open_store(url)
    if demo and store.counts()[RecordKind.INSTITUTION] == 0:
        import_into(store, data_file("demo"))
    raise typer.Exit(
        serve(
            url,
            host=host,
            port=chosen,
            open_browser=open_browser,
            shown_store=store.url,
            hosts=allowed_host or None,
        )
    )
