"""The demo network in the app: loaded on the very first start, named while untouched,
offered by every page of an empty store."""

from __future__ import annotations

import functools

import streamlit as st

import netmap.store
from netmap.i18n import N_, format_number
from netmap.i18n import gettext as _
from netmap.model import RECORD_KINDS, RecordKind
from netmap.resources import data_file
from netmap.store.base import GraphStore, Network
from netmap.ui.access import allowed

# Translators: %(weak_tie)s is the Network page's checkbox; %(directory)s and %(data)s
# are the names of two pages.
FIRST_RUN_MESSAGE = N_(
    "You are looking at netmap's demo network: %(institutions)s institutions in %(countries)s "
    "countries that work together against human trafficking (police, prosecutors, social "
    "services, NGOs…), built only from what five public documents say; each dot is an "
    "institution, coloured by sector, and each line a cooperation the documents state. "
    "Most of what they state is who takes part in which local network or project: tick "
    "*%(weak_tie)s* to see it. Search it on the **%(directory)s** page, or replace it with "
    "your own spreadsheet on the **%(data)s** page."
)


def load_demo(store: GraphStore) -> None:
    """Load the demo network into ``store``, showing progress."""
    from netmap.io import import_into  # openpyxl and the importer: not on every page

    with st.status(_("Loading the demo network…"), expanded=True) as status:
        bar = st.progress(0.0, text=_("Reading and checking the demo tables…"))

        def advance(done: int, total: int) -> None:
            bar.progress(
                done / max(total, 1),
                text=_("Writing %(done)s of %(total)s records…")
                % {"done": format_number(done), "total": format_number(total)},
            )

        import_into(store, data_file("demo"), progress=advance)
        status.update(label=_("The demo network is loaded."), state="complete", expanded=False)


def first_run(store: GraphStore) -> None:
    """On the very first start on the built-in store, load the demo network.

    Other (named) stores that are empty get an empty state on each page instead.
    """
    if not allowed("editor") or store.url != netmap.store.builtin_store_url():
        return
    if any(store.counts().values()):
        return
    load_demo(store)


def first_run_note(store: GraphStore, network: Network) -> None:
    """Say in two sentences what the user is looking at while it is the demo network.

    Whoever loaded it (``netmap serve --demo``, the first start, the button of an empty
    store, or the server preparing its first page): the note stays until the first change.
    """
    if not holds_untouched_demo(store):
        return
    institutions = network.institutions
    st.info(
        _(FIRST_RUN_MESSAGE)
        % {
            "institutions": format_number(len(institutions)),
            "countries": format_number(institutions["country"].nunique()),
            # The words of the checkbox and of the pages it names, as they are shown.
            "weak_tie": _("Count sharing an initiative as a weak tie"),
            "directory": _("Directory"),
            "data": _("Data"),
        },
        icon=":material/waving_hand:",
    )


def holds_untouched_demo(store: GraphStore) -> bool:
    """True when the store's one write so far loaded the demo network."""
    return store.revision() == 1 and store.counts() == _demo_counts()


@functools.cache
def _demo_counts() -> dict[RecordKind, int]:
    """The rows of each demo table, read as the import reads them."""
    from netmap.io.reader import read_tables  # openpyxl: only for a store at revision 1

    tables = read_tables(data_file("demo")).tables
    return {kind: len(tables[kind]) if kind in tables else 0 for kind in RECORD_KINDS}


def empty_state(store: GraphStore) -> bool:
    """When the store holds no institution, say what to do and return True."""
    if store.counts()[RecordKind.INSTITUTION]:
        return False
    st.info(
        _(
            "This store holds no institutions yet. Import your spreadsheet (an .xlsx workbook "
            "or a .zip of CSV files) on the **Data** page, add institutions one by one on the "
            "**Edit** page, or load the demo network to look around."
        ),
        icon=":material/info:",
    )
    if allowed("editor") and st.button(_("Load the demo network"), key="load-demo"):
        load_demo(store)
        st.rerun()
    return True
