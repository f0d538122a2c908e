"""Directory: search as you type in any script, a sortable table, and institution profiles.

A link with ``?institution=ID`` (a contact card's) opens that profile. A search for
``Пловдив`` lists the institutions of Plovdiv: a city that matches brings its
institutions, a contact its institution (for members), an initiative its participants.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
import streamlit as st

from netmap.directory import matching_institutions
from netmap.i18n import N_, format_number, ngettext
from netmap.i18n import gettext as _
from netmap.store.base import Network
from netmap.tables import human_date
from netmap.taxonomy import load_taxonomy
from netmap.ui import cached
from netmap.ui.access import allowed, guarded_store, require
from netmap.ui.demo import empty_state
from netmap.ui.profile import profile
from netmap.ui.text import country_label, md
from netmap.ui.widgets import PROFILE_PARAMETER, choose_institution, run_page

PROFILE_KEY = "directory-profile"
#: How wide the directory table's columns are drawn.
WIDTHS: dict[str, Any] = {
    "name": "large",
    "name_local": "medium",
    "sector": "small",
    "city": "small",
    "country": 60,
}
#: The directory table's columns (ids the page filters by) and their headers.
COLUMNS = {
    "name": N_("Name"),
    "name_local": N_("Local name"),
    "sector": N_("Sector"),
    "city": N_("City"),
    "country": N_("Country"),
    "last_verified": N_("Last verified"),
    # Translators: a column of the Directory: why a search lists an institution
    "found_by": N_("Found by"),
}


def directory_table(network: Network, ids: Iterable[str], why: dict[str, str]) -> pd.DataFrame:
    """The table of institutions ``ids``, in that order: ``id`` and the :data:`COLUMNS`
    (by their ids; :func:`shown` gives them their headers)."""
    taxonomy = load_taxonomy()
    rows = network.institutions.set_index("id")
    ids = [i for i in dict.fromkeys(ids) if i in rows.index]
    chosen = rows.loc[ids]
    return pd.DataFrame(
        {
            "id": ids,
            "name": list(chosen["name"]),
            "name_local": [v or "" for v in chosen["name_local"]],
            "sector": [taxonomy.label("sectors", v) for v in chosen["sector"]],
            "city": [v or "" for v in chosen["city"]],
            "country": list(chosen["country"]),
            # Translators: in the Directory's "Last verified" column: never verified
            "last_verified": [human_date(v) or _("never") for v in chosen["last_verified"]],
            "found_by": [why.get(i, "") for i in ids],
        },
        columns=["id", *COLUMNS],
    )


def shown(table: pd.DataFrame) -> pd.DataFrame:
    """The directory table as the page shows it: headers in words, no ids, and no "Found
    by" unless a search found something by it."""
    dropped = ["id"] + ([] if table["found_by"].any() else ["found_by"])
    return table.drop(columns=dropped).rename(columns=lambda c: _(COLUMNS[c]))


def search_box(store, network: Network) -> pd.DataFrame:
    text = st.text_input(
        _("Search"),
        key="directory-search",
        type="search",
        live=True,
        placeholder=_(
            "A name, acronym, city or initiative, in any script: Пловдив, Θεσσαλονίκη, Niš…"
        ),
    )
    taxonomy = load_taxonomy()
    left, right = st.columns(2)
    countries = left.multiselect(
        _("Countries"),
        sorted(set(network.institutions["country"])),
        format_func=country_label,
        key="directory-countries",
        placeholder=_("All countries"),
    )
    present = set(network.institutions["sector"])
    sectors = right.multiselect(
        _("Sectors"),
        [s for s in taxonomy.sectors if s in present],
        format_func=lambda s: taxonomy.label("sectors", s),
        key="directory-sectors",
        placeholder=_("All sectors"),
    )
    if text.strip():
        index = cached.search_index(store)
        why = matching_institutions(network, index, text, contacts=allowed("member"))
        ids = list(why)
    else:
        why = {}
        ordered = network.institutions.sort_values(["country", "city", "name"], na_position="last")
        ids = list(ordered["id"])
    table = directory_table(network, ids, why)
    if countries:
        table = table[table["country"].isin(countries)]
    if sectors:
        labels = {taxonomy.label("sectors", s) for s in sectors}
        table = table[table["sector"].isin(labels)]
    if text.strip():
        found = ngettext(
            "%(count)s institution found for “%(text)s”.",
            "%(count)s institutions found for “%(text)s”.",
            len(table),
        )
        st.caption(found % {"count": format_number(len(table)), "text": md(text)})
    else:
        found = ngettext(
            "All %(count)s institution. Click a column title to sort.",
            "All %(count)s institutions. Click a column title to sort.",
            len(table),
        )
        st.caption(found % {"count": format_number(len(table))})
    return table


def open_asked_profile(network: Network) -> None:
    """Open the profile a link asked for (``?institution=ID``: a contact card's "Open the
    profile"), once: the search and filters are cleared so that it is listed, and the
    parameter is taken off so the user may choose another."""
    asked = st.query_params.get(PROFILE_PARAMETER)
    if asked is None:
        return
    del st.query_params[PROFILE_PARAMETER]
    if asked not in set(network.institutions["id"]):
        st.warning(_("The institution that link names is not in the directory (any more)."))
        return
    st.session_state["directory-search"] = ""
    st.session_state["directory-countries"] = []
    st.session_state["directory-sectors"] = []
    st.session_state[PROFILE_KEY] = asked


def main() -> None:
    require("viewer")
    store = guarded_store()
    network = cached.network(store)
    st.title(_("Directory"))
    if empty_state(store):
        return
    open_asked_profile(network)
    table = search_box(store, network)
    if table.empty:
        st.info(_("Nothing matches. Try fewer letters, another spelling, or remove a filter."))
        return
    selection = st.dataframe(
        shown(table),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(table), 420),
        on_select="rerun",
        selection_mode="single-row",
        key="directory-table",
        column_config={
            _(COLUMNS[column]): st.column_config.TextColumn(width=width)
            for column, width in WIDTHS.items()
        },
    )
    ids = list(table["id"])
    rows = getattr(getattr(selection, "selection", None), "rows", []) or []
    clicked = ids[rows[0]] if rows and rows[0] < len(ids) else None
    if clicked and st.session_state.get("directory-clicked") != clicked:
        # A row clicked just now opens its profile; the select box may then choose another.
        st.session_state[PROFILE_KEY] = clicked
    st.session_state["directory-clicked"] = clicked
    if st.session_state.get(PROFILE_KEY) not in ids:
        st.session_state[PROFILE_KEY] = ids[0]
    chosen = choose_institution(
        store,
        _("Profile of"),
        ids=ids,
        key=PROFILE_KEY,
        help=_("Or click a row of the table."),
        required=True,
    )
    st.divider()
    if chosen:
        profile(store, network, chosen)


run_page(main)
