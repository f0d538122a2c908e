"""Data: import a spreadsheet with a validation report and a dry run, export, the change log.

An import is checked whole first: every problem is listed as ``FILE:ROW: FIELD: message``
and nothing is written until the user confirms a clean dry run, which lists every field
that would change, be kept or conflict (``netmap.io.plan``); then it is written all or
nothing, and the page shows the new state: counts read again, the dry run gone.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from netmap.errors import Conflict, Problem
from netmap.export import FORMATS, export_bytes
from netmap.io import ImportPlan, Outcome, plan_import, read_source, write_import
from netmap.store import shown_url
from netmap.tables import header, readable
from netmap.ui import cached
from netmap.ui.access import allowed, guarded_store, require
from netmap.ui.text import md, shown_as
from netmap.ui.widgets import run_page

REPORT_KEY = "data-import-report"
PLAN_KEY = "data-import-plan"
DONE_KEY = "data-import-done"
NOTICE_KEY = "data-import-notice"
SHOWN_KEY = "data-import-shown"
_FORMAT_LABELS = {
    "xlsx": "Excel workbook (.xlsx)",
    "csv": "CSV tables (.zip)",
    "json": "JSON (.json)",
    "graphml": "GraphML, for Gephi or yEd (.graphml)",
    "gexf": "GEXF, for Gephi (.gexf)",
}


def problems_table(problems: list[Problem]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"File": p.file, "Row": p.row, "Field": p.field or "", "Problem": p.message}
            for p in problems
        ],
        columns=["File", "Row", "Field", "Problem"],
    )


def import_section(store) -> None:
    st.subheader("Import", anchor=False)
    if not allowed("editor"):
        st.caption("Importing needs the editor role.")
        return
    st.caption(
        "An .xlsx workbook with sheets named institutions, contacts, ties, initiatives, "
        "participations and cities, or a .zip of CSV files with those names (one CSV table "
        "works too). A tie may name its two ends by name and city (source_name, source_city, "
        "target_name, target_city) instead of their ids. Nothing is written before you have "
        "seen what would change, field by field."
    )
    upload = st.file_uploader(
        "Spreadsheet to import", type=["xlsx", "zip", "csv"], key="data-upload"
    )
    if upload is None:
        for key in (REPORT_KEY, PLAN_KEY, DONE_KEY, SHOWN_KEY):
            st.session_state.pop(key, None)
        return
    done = st.session_state.get(DONE_KEY)
    if done is not None and done[0] == upload.file_id:
        st.success(done[1], icon=":material/check_circle:")
        st.caption(
            "To import this file again, or another one, remove it above and upload it: "
            "netmap checks it against what the store holds now."
        )
        return
    if (notice := st.session_state.pop(NOTICE_KEY, None)) is not None:
        st.warning(notice, icon=":material/sync_problem:")
    stored = st.session_state.get(REPORT_KEY)
    if stored is None or stored[0] != upload.file_id:
        with st.status(f"Checking {upload.name}…", expanded=True) as status:
            bar = st.progress(0.0)

            def checked(done: int, total: int) -> None:
                bar.progress(done / max(total, 1), text=f"{done:,} of {total:,} rows checked")

            report = read_source((upload.name, upload.getvalue()), store, checked)
            status.update(label=f"Checked {upload.name}.", state="complete", expanded=False)
        stored = (upload.file_id, report)
        st.session_state[REPORT_KEY] = stored
        st.session_state.pop(PLAN_KEY, None)
    _, report = stored

    if report.errors:
        _problems(report.errors, upload.name)
    for notice in report.notices:
        st.info(notice)
    if report.warnings:
        with st.expander(f"{len(report.warnings)} warnings (they do not stop the import)"):
            st.code("\n".join(str(p) for p in report.warnings), language=None, wrap_lines=True)
    if report.errors:
        return

    left, right = st.columns(2)
    clear_empty = left.checkbox(
        "Empty cells empty the stored values",
        key="data-clear-empty",
        help="By default an empty cell keeps what the store holds. A column the file does "
        "not have never changes anything.",
    )
    overwrite = right.checkbox(
        "Overwrite values changed after the file's date",
        key="data-overwrite-conflicts",
        help="By default a value changed in the store after the file's date (an edit in "
        "the app, another file) is a conflict, and the store's value is kept.",
    )
    plan = _plan(store, upload.file_id, report, clear_empty, overwrite)
    # The plan the user saw last: a click confirms that one, not one made since.
    shown = st.session_state.get(SHOWN_KEY)
    st.session_state[SHOWN_KEY] = plan
    stale = bool(st.session_state.get("data-confirm")) and shown is not plan
    if stale:
        st.warning(_CHANGED_MEANWHILE, icon=":material/sync_problem:")
    if plan.errors:
        _problems(plan.errors, upload.name)
        return
    for note in plan.notes:
        st.info(note, icon=":material/history:")
    st.markdown("**What the import would change** (dry run: nothing is written yet)")
    st.dataframe(plan.summary_frame(), hide_index=True, width="content")
    fields = plan.frame(limit=_SHOWN_ROWS)
    if len(fields):
        st.dataframe(fields, hide_index=True, width="stretch")
        total = sum(1 for _ in plan.rows())
        if total > _SHOWN_ROWS:
            st.caption(
                f"The first {_SHOWN_ROWS:,} of {total:,} rows; `netmap import --dry-run "
                "--json` lists every one."
            )
    conflicts = len(plan.conflicts)
    if conflicts and not overwrite:
        st.warning(
            f"{_count(conflicts, 'value')} changed in the store after the file's date: "
            f"{'it is' if conflicts == 1 else 'they are'} kept as "
            f"{'it is' if conflicts == 1 else 'they are'} (see Why). Tick the box above to "
            "take the file's instead.",
            icon=":material/warning:",
        )
    kept = plan.count(Outcome.KEPT)
    if kept and not clear_empty:
        st.caption(
            f"{_count(kept, 'empty cell')} of the file "
            f"{'keeps the stored value' if kept == 1 else 'keep the stored values'}; tick the "
            "box above to empty them."
        )
    if not plan.changes:
        st.success("Nothing in this file would change the store.")
        return
    if (
        st.button(
            f"Import {_count(plan.changes, 'change')}",
            type="primary",
            key="data-confirm",
            icon=":material/upload:",
        )
        and not stale
    ):
        with st.status("Importing…", expanded=True) as status:
            bar = st.progress(0.0)

            def advance(done: int, total: int) -> None:
                bar.progress(done / max(total, 1), text=f"{done:,} of {total:,} records")

            try:
                write_import(store, plan, progress=advance)
            except Conflict:
                status.update(label="Not imported.", state="error")
                _changed_meanwhile()
            status.update(label="Imported.", state="complete")
        kept_note = (
            f" {_count(conflicts, 'value')} changed after the file's date "
            f"{'was' if conflicts == 1 else 'were'} kept as "
            f"{'it was' if conflicts == 1 else 'they were'}."
            if conflicts and not overwrite
            else ""
        )
        st.session_state[DONE_KEY] = (
            upload.file_id,
            (
                f"Imported {_count(plan.changes, 'change')} from {md(upload.name)}."
                f"{kept_note} Every page now shows the new network."
            ),
        )
        st.session_state.pop(REPORT_KEY, None)
        st.session_state.pop(PLAN_KEY, None)
        st.rerun()


_CHANGED_MEANWHILE = (
    "Someone saved a change while you were looking at this: nothing was imported. Below "
    "is what the import would change now."
)


def _changed_meanwhile() -> None:
    """Write nothing (someone saved just as the import began) and show the plan anew."""
    st.session_state[NOTICE_KEY] = _CHANGED_MEANWHILE
    st.session_state.pop(PLAN_KEY, None)
    st.rerun()


# Rows of the field-by-field table the page shows.
_SHOWN_ROWS = 10_000


def _count(number: int, thing: str) -> str:
    return f"{number:,} {thing}{'s' * (number != 1)}"


def _problems(problems: list[Problem], file_name: str) -> None:
    count = len(problems)
    st.error(
        f"{count} problem{'s' * (count != 1)} in {md(file_name)}: nothing will be "
        "written. Correct them in your spreadsheet and upload it again.",
        icon=":material/error:",
    )
    st.code("\n".join(str(p) for p in problems), language=None, wrap_lines=True)
    with st.expander("The problems as a table (sortable)"):
        st.dataframe(problems_table(problems), hide_index=True, width="stretch")


def _plan(store, file_id: str, report, clear_empty: bool, overwrite: bool) -> ImportPlan:
    """The plan for these choices, made again when they or the store have changed."""
    key = (file_id, clear_empty, overwrite, store.revision())
    kept = st.session_state.get(PLAN_KEY)
    if kept is None or kept[0] != key:
        plan = plan_import(store, report, clear_empty=clear_empty, overwrite_conflicts=overwrite)
        kept = (key, plan)
        st.session_state[PLAN_KEY] = kept
    return kept[1]


@cached.per_revision(data=True, max_entries=8, show_spinner="Preparing the export…")
def _export_bytes(store, fmt: str, redact: bool) -> bytes:
    return export_bytes(cached.network(store), fmt, redact)


def export_section(store) -> None:
    st.subheader("Export", anchor=False)
    left, right = st.columns([2, 1])
    fmt = left.selectbox("Format", FORMATS, format_func=shown_as(_FORMAT_LABELS), key="data-format")
    member = allowed("member")
    redact = right.checkbox(
        "Leave out contacts",
        value=not member,
        disabled=not member,
        key="data-redact",
        help="Leaves out the contacts table: people's names, e-mails and phones."
        + ("" if member else " Only members may export contacts."),
    )
    redact = redact or not member
    suffix = "zip" if fmt == "csv" else fmt
    st.download_button(
        f"Download the network as {_FORMAT_LABELS[fmt]}",
        data=lambda: _export_bytes(store, fmt, redact),
        file_name=f"netmap{'-redacted' if redact else ''}.{suffix}",
        mime="application/octet-stream",
        icon=":material/download:",
        key="data-export",
    )
    st.caption(
        "Cells a spreadsheet would run as a formula are neutralised. The same exports are "
        "made by `netmap export` on the command line."
    )


def changes_section(store) -> None:
    st.subheader("Change log", anchor=False)
    if not allowed("admin"):
        st.caption("The change log is shown to admins.")
        return
    changes = store.changes(limit=500)
    if not changes:
        st.caption("No change yet.")
        return
    table = readable(
        pd.DataFrame(
            [
                {
                    "at": c.at,
                    "actor": c.actor,
                    "action": c.action,
                    "table": str(c.kind).capitalize(),
                    "record_id": c.record_id,
                    # Field names only: the log's before/after values may be personal data.
                    "fields": ", ".join(header(f) for f in sorted(c.fields))
                    if c.action == "update"
                    else "",
                    "revision": c.revision,
                }
                for c in changes
            ]
        )
    )
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(f"The latest {len(table)} changes, newest first.")


def main() -> None:
    require("viewer")
    store = guarded_store()
    st.title("Data")
    counts = store.counts()
    st.caption(
        " · ".join(f"{n:,} {kind.value}" for kind, n in counts.items())
        + f" — store `{shown_url(store.url)}`"
    )
    importing, exporting, log = st.tabs(["Import", "Export", "Change log"])
    with importing:
        import_section(store)
    with exporting:
        export_section(store)
    with log:
        changes_section(store)


run_page(main)
