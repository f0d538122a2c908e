"""Data: import a spreadsheet with a validation report and a dry run, export, the change log.

An import is checked whole first: every problem is listed as ``FILE:ROW: FIELD: message``
and nothing is written until the user confirms a clean dry run; then it is written all or
nothing.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from netmap.errors import Problem
from netmap.export import FORMATS, export_bytes
from netmap.io import read_source
from netmap.store import shown_url
from netmap.tables import header, readable
from netmap.ui import cached
from netmap.ui.access import allowed, guarded_store, require
from netmap.ui.text import md
from netmap.ui.widgets import run_page

REPORT_KEY = "data-import-report"
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
        "works too). Nothing is written before you have seen what would change."
    )
    upload = st.file_uploader(
        "Spreadsheet to import", type=["xlsx", "zip", "csv"], key="data-upload"
    )
    if upload is None:
        st.session_state.pop(REPORT_KEY, None)
        return
    stored = st.session_state.get(REPORT_KEY)
    if stored is None or stored[0] != upload.file_id:
        with st.status(f"Checking {upload.name}…", expanded=True) as status:
            bar = st.progress(0.0)

            def checked(done: int, total: int) -> None:
                bar.progress(done / max(total, 1), text=f"{done:,} of {total:,} rows checked")

            report = read_source((upload.name, upload.getvalue()), store, checked)
            plan = store.plan(report.batch) if report.ok else None
            status.update(label=f"Checked {upload.name}.", state="complete", expanded=False)
        stored = (upload.file_id, report, plan)
        st.session_state[REPORT_KEY] = stored
    _, report, plan = stored

    if report.errors:
        count = len(report.errors)
        st.error(
            f"{count} problem{'s' * (count != 1)} in {md(upload.name)}: nothing will be "
            "written. Correct them in your spreadsheet and upload it again.",
            icon=":material/error:",
        )
        st.code("\n".join(str(p) for p in report.errors), language=None, wrap_lines=True)
        with st.expander("The problems as a table (sortable)"):
            st.dataframe(problems_table(report.errors), hide_index=True, width="stretch")
    for notice in report.notices:
        st.info(notice)
    if report.warnings:
        with st.expander(f"{len(report.warnings)} warnings (they do not stop the import)"):
            st.code("\n".join(str(p) for p in report.warnings), language=None, wrap_lines=True)
    if report.errors or plan is None:
        return
    st.markdown("**What the import would change** (dry run: nothing is written yet)")
    summary = readable(pd.DataFrame(plan.summary()))
    st.dataframe(summary, hide_index=True, width="content")
    if not plan.changes:
        st.success("Everything in this file is already in the store: nothing to change.")
        return
    if st.button(
        f"Import {plan.changes:,} change{'s' * (plan.changes != 1)}",
        type="primary",
        key="data-confirm",
        icon=":material/upload:",
    ):
        with st.status("Importing…", expanded=True) as status:
            bar = st.progress(0.0)

            def advance(done: int, total: int) -> None:
                bar.progress(done / max(total, 1), text=f"{done:,} of {total:,} records")

            written = store.write(report.batch, progress=advance)
            status.update(label="Imported.", state="complete")
        st.session_state.pop(REPORT_KEY, None)
        st.success(
            f"Imported {written.changes:,} change{'s' * (written.changes != 1)} from "
            f"{md(upload.name)}. Every page now shows the new network."
        )


@cached.per_revision(data=True, max_entries=8, show_spinner="Preparing the export…")
def _export_bytes(store, fmt: str, redact: bool) -> bytes:
    return export_bytes(cached.network(store), fmt, redact)


def export_section(store) -> None:
    st.subheader("Export", anchor=False)
    left, right = st.columns([2, 1])
    fmt = left.selectbox("Format", FORMATS, format_func=_FORMAT_LABELS.get, key="data-format")
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
