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
from netmap.i18n import N_, current_language, format_number, ngettext
from netmap.i18n import gettext as _
from netmap.io import ImportPlan, Outcome, plan_import, read_source, write_import
from netmap.io.plan import frame_header, table_name
from netmap.store import shown_url
from netmap.tables import readable
from netmap.ui import cached
from netmap.ui.access import allowed, guarded_store, require
from netmap.ui.text import action_label, field_label, kind_count, md, shown_as
from netmap.ui.widgets import run_page

REPORT_KEY = "data-import-report"
PLAN_KEY = "data-import-plan"
DONE_KEY = "data-import-done"
NOTICE_KEY = "data-import-notice"
SHOWN_KEY = "data-import-shown"
_FORMAT_LABELS = {
    "xlsx": N_("Excel workbook (.xlsx)"),
    "csv": N_("CSV tables (.zip)"),
    "json": N_("JSON (.json)"),
    "graphml": N_("GraphML, for Gephi or yEd (.graphml)"),
    "gexf": N_("GEXF, for Gephi (.gexf)"),
}


def problems_table(problems: list[Problem]) -> pd.DataFrame:
    """The problems of a file as a table for people, with headers in the current language."""
    columns = [
        # Translators: a column header: the file a problem is in.
        _("File"),
        # Translators: a column header: the row of the file a problem is in.
        _("Row"),
        frame_header("field"),
        # Translators: a column header: what is wrong with a cell of an imported file.
        _("Problem"),
    ]
    return pd.DataFrame(
        [
            dict(zip(columns, (p.file, p.row, p.field or "", p.message), strict=True))
            for p in problems
        ],
        columns=columns,
    )


def import_section(store) -> None:
    st.subheader(_("Import"), anchor=False)
    if not allowed("editor"):
        st.caption(_("Importing needs the editor role."))
        return
    st.caption(
        _(
            "An .xlsx workbook with sheets named institutions, contacts, ties, initiatives, "
            "participations and cities, or a .zip of CSV files with those names (one CSV "
            "table works too). A tie may name its two ends by name and city (source_name, "
            "source_city, target_name, target_city) instead of their ids. Nothing is written "
            "before you have seen what would change, field by field."
        )
    )
    upload = st.file_uploader(
        _("Spreadsheet to import"), type=["xlsx", "zip", "csv"], key="data-upload"
    )
    if upload is None:
        for key in (REPORT_KEY, PLAN_KEY, DONE_KEY, SHOWN_KEY):
            st.session_state.pop(key, None)
        return
    done = st.session_state.get(DONE_KEY)
    if done is not None and done[0] == upload.file_id:
        st.success(done[1], icon=":material/check_circle:")
        st.caption(
            _(
                "To import this file again, or another one, remove it above and upload it: "
                "netmap checks it against what the store holds now."
            )
        )
        return
    if (notice := st.session_state.pop(NOTICE_KEY, None)) is not None:
        st.warning(notice, icon=":material/sync_problem:")
    stored = st.session_state.get(REPORT_KEY)
    if stored is None or stored[0] != upload.file_id:
        with st.status(_("Checking %(file)s…") % {"file": upload.name}, expanded=True) as status:
            bar = st.progress(0.0)

            def checked(done: int, total: int) -> None:
                bar.progress(done / max(total, 1), text=_progress(done, total, "rows"))

            report = read_source((upload.name, upload.getvalue()), store, checked)
            status.update(
                label=_("Checked %(file)s.") % {"file": upload.name},
                state="complete",
                expanded=False,
            )
        stored = (upload.file_id, report)
        st.session_state[REPORT_KEY] = stored
        st.session_state.pop(PLAN_KEY, None)
    report = stored[1]

    if report.errors:
        _problems(report.errors, upload.name)
    for notice in report.notices:
        st.info(notice)
    if report.warnings:
        count = len(report.warnings)
        with st.expander(
            ngettext(
                "%(count)s warning (it does not stop the import)",
                "%(count)s warnings (they do not stop the import)",
                count,
            )
            % {"count": format_number(count)}
        ):
            st.code("\n".join(str(p) for p in report.warnings), language=None, wrap_lines=True)
    if report.errors:
        return

    left, right = st.columns(2)
    clear_empty = left.checkbox(
        _("Empty cells empty the stored values"),
        key="data-clear-empty",
        help=_(
            "By default an empty cell keeps what the store holds. A column the file does "
            "not have never changes anything."
        ),
    )
    overwrite = right.checkbox(
        _("Overwrite values changed after the file's date"),
        key="data-overwrite-conflicts",
        help=_(
            "By default a value changed in the store after the file's date (an edit in "
            "the app, another file) is a conflict, and the store's value is kept."
        ),
    )
    plan = _plan(store, upload.file_id, report, clear_empty, overwrite)
    # The plan the user saw last: a click confirms that one, not one made since.
    shown = st.session_state.get(SHOWN_KEY)
    st.session_state[SHOWN_KEY] = plan
    stale = bool(st.session_state.get("data-confirm")) and shown is not plan
    if stale:
        st.warning(_(_CHANGED_MEANWHILE), icon=":material/sync_problem:")
    if plan.errors:
        _problems(plan.errors, upload.name)
        return
    for note in plan.notes:
        st.info(note, icon=":material/history:")
    st.markdown(_("**What the import would change** (dry run: nothing is written yet)"))
    st.dataframe(plan.summary_frame(), hide_index=True, width="content")
    fields = plan.frame(limit=_SHOWN_ROWS, field_label=field_label)
    if len(fields):
        st.dataframe(fields, hide_index=True, width="stretch")
        total = sum(1 for _row in plan.rows())
        if total > _SHOWN_ROWS:
            st.caption(
                _(
                    "The first %(shown)s of %(total)s rows; `netmap import --dry-run --json` "
                    "lists every one."
                )
                % {"shown": format_number(_SHOWN_ROWS), "total": format_number(total)}
            )
    conflicts = len(plan.conflicts)
    if conflicts and not overwrite:
        st.warning(
            ngettext(
                "%(count)s value changed in the store after the file's date: it is kept as it "
                "is (see %(why)s). Tick the box above to take the file's instead.",
                "%(count)s values changed in the store after the file's date: they are kept "
                "as they are (see %(why)s). Tick the box above to take the file's instead.",
                conflicts,
            )
            % {"count": format_number(conflicts), "why": frame_header("why")},
            icon=":material/warning:",
        )
    kept = plan.count(Outcome.KEPT)
    if kept and not clear_empty:
        st.caption(
            ngettext(
                "%(count)s empty cell of the file keeps the stored value; tick the box above "
                "to empty it.",
                "%(count)s empty cells of the file keep the stored values; tick the box "
                "above to empty them.",
                kept,
            )
            % {"count": format_number(kept)}
        )
    if not plan.changes:
        st.success(_("Nothing in this file would change the store."))
        return
    if (
        st.button(
            ngettext("Import %(count)s change", "Import %(count)s changes", plan.changes)
            % {"count": format_number(plan.changes)},
            type="primary",
            key="data-confirm",
            icon=":material/upload:",
        )
        and not stale
    ):
        with st.status(_("Importing…"), expanded=True) as status:
            bar = st.progress(0.0)

            def advance(done: int, total: int) -> None:
                bar.progress(done / max(total, 1), text=_progress(done, total, "records"))

            try:
                write_import(store, plan, progress=advance)
            except Conflict:
                status.update(label=_("Not imported."), state="error")
                _changed_meanwhile()
            status.update(label=_("Imported."), state="complete")
        said = [
            ngettext(
                "Imported %(count)s change from %(file)s.",
                "Imported %(count)s changes from %(file)s.",
                plan.changes,
            )
            % {"count": format_number(plan.changes), "file": md(upload.name)}
        ]
        if conflicts and not overwrite:
            said.append(
                ngettext(
                    "%(count)s value changed after the file's date was kept as it was.",
                    "%(count)s values changed after the file's date were kept as they were.",
                    conflicts,
                )
                % {"count": format_number(conflicts)}
            )
        said.append(_("Every page now shows the new network."))
        st.session_state[DONE_KEY] = (upload.file_id, " ".join(said))
        st.session_state.pop(REPORT_KEY, None)
        st.session_state.pop(PLAN_KEY, None)
        st.rerun()


_CHANGED_MEANWHILE = N_(
    "Someone saved a change while you were looking at this: nothing was imported. Below "
    "is what the import would change now."
)


def _changed_meanwhile() -> None:
    """Write nothing (someone saved just as the import began) and show the plan anew."""
    st.session_state[NOTICE_KEY] = _CHANGED_MEANWHILE
    st.session_state.pop(PLAN_KEY, None)
    st.rerun()


# The change log's entries the page shows, the latest first.
_CHANGES_SHOWN = 500
# Rows of the field-by-field table the page shows.
_SHOWN_ROWS = 10_000


def _progress(done: int, total: int, what: str) -> str:
    """``12 of 300 rows checked`` (``what``: ``rows``) or ``12 of 300 records``."""
    values = {"done": format_number(done), "total": format_number(total)}
    if what == "rows":
        return (
            ngettext(
                "%(done)s of %(total)s row checked", "%(done)s of %(total)s rows checked", total
            )
            % values
        )
    return ngettext("%(done)s of %(total)s record", "%(done)s of %(total)s records", total) % values


def _problems(problems: list[Problem], file_name: str) -> None:
    count = len(problems)
    st.error(
        ngettext(
            "%(count)s problem in %(file)s: nothing will be written. Correct it in your "
            "spreadsheet and upload it again.",
            "%(count)s problems in %(file)s: nothing will be written. Correct them in your "
            "spreadsheet and upload it again.",
            count,
        )
        % {"count": format_number(count), "file": md(file_name)},
        icon=":material/error:",
    )
    st.code("\n".join(str(p) for p in problems), language=None, wrap_lines=True)
    with st.expander(_("The problems as a table (sortable)")):
        st.dataframe(problems_table(problems), hide_index=True, width="stretch")


def _plan(store, file_id: str, report, clear_empty: bool, overwrite: bool) -> ImportPlan:
    """The plan for these choices, made again when they or the store have changed."""
    # The plan's notes and reasons are written in the language of the run that made it.
    key = (file_id, clear_empty, overwrite, store.revision(), current_language())
    kept = st.session_state.get(PLAN_KEY)
    if kept is None or kept[0] != key:
        plan = plan_import(store, report, clear_empty=clear_empty, overwrite_conflicts=overwrite)
        kept = (key, plan)
        st.session_state[PLAN_KEY] = kept
    return kept[1]


# No spinner: its text would be fixed, in English, when the page is first imported.
@cached.per_revision(data=True, max_entries=8)
def _export_bytes(store, fmt: str, redact: bool) -> bytes:
    return export_bytes(cached.network(store), fmt, redact)


def export_section(store) -> None:
    st.subheader(_("Export"), anchor=False)
    left, right = st.columns([2, 1])
    fmt = left.selectbox(
        # Translators: the file format of an export.
        _("Format"),
        FORMATS,
        format_func=shown_as(_FORMAT_LABELS, translate=True),
        key="data-format",
    )
    member = allowed("member")
    redact = right.checkbox(
        _("Leave out contacts"),
        value=not member,
        disabled=not member,
        key="data-redact",
        help=_("Leaves out the contacts table: people's names, e-mails and phones.")
        if member
        else _(
            "Leaves out the contacts table: people's names, e-mails and phones. Only members "
            "may export contacts."
        ),
    )
    redact = redact or not member
    suffix = "zip" if fmt == "csv" else fmt
    st.download_button(
        _("Download the network as %(format)s") % {"format": _(_FORMAT_LABELS[fmt])},
        data=lambda: _export_bytes(store, fmt, redact),
        file_name=f"netmap{'-redacted' if redact else ''}.{suffix}",
        mime="application/octet-stream",
        icon=":material/download:",
        key="data-export",
    )
    st.caption(
        _(
            "Cells a spreadsheet would run as a formula are neutralised. The same exports are "
            "made by `netmap export` on the command line."
        )
    )


def changes_section(store) -> None:
    st.subheader(_("Change log"), anchor=False)
    if not allowed("admin"):
        st.caption(_("The change log is shown to admins."))
        return
    changes = store.changes(limit=_CHANGES_SHOWN)
    if not changes:
        st.caption(_("No change yet."))
        return
    table = readable(
        pd.DataFrame(
            [
                {
                    "at": c.at,
                    "actor": c.actor,
                    "action": action_label(c.action),
                    "table": table_name(c.kind),
                    "record_id": c.record_id,
                    # Field names only: the log's before/after values may be personal data.
                    "fields": ", ".join(field_label(f) for f in sorted(c.fields))
                    if c.action == "update"
                    else "",
                    "revision": c.revision,
                }
                for c in changes
            ]
        ),
        headers={
            "at": _("When"),
            "actor": _("Who"),
            "action": _("What"),
            "table": frame_header("table"),
            "record_id": frame_header("record"),
            # Translators: a column header of the change log: the fields a change changed.
            "fields": _("Fields"),
            # Translators: a column header of the change log: the store's revision number.
            "revision": _("Revision"),
        },
    )
    st.dataframe(table, hide_index=True, width="stretch")
    count = len(table)
    st.caption(
        _("The latest %(count)s changes, newest first.") % {"count": format_number(count)}
        if count == _CHANGES_SHOWN
        else ngettext("%(count)s change, newest first.", "%(count)s changes, newest first.", count)
        % {"count": format_number(count)}
    )


def main() -> None:
    require("viewer")
    store = guarded_store()
    st.title(_("Data"))
    counts = store.counts()
    st.caption(
        _("%(counts)s — store `%(store)s`")
        % {
            "counts": " · ".join(kind_count(kind, n) for kind, n in counts.items()),
            "store": shown_url(store.url),
        }
    )
    importing, exporting, log = st.tabs([_("Import"), _("Export"), _("Change log")])
    with importing:
        import_section(store)
    with exporting:
        export_section(store)
    with log:
        changes_section(store)


run_page(main)
