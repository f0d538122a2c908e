"""Directory: search as you type in any script, a sortable table, and institution profiles.

A link with ``?institution=ID`` (a contact card's) opens that profile. A search for
``Пловдив`` lists the institutions of Plovdiv: a city that matches brings its
institutions, a contact its institution (for members), an initiative its participants.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from netmap.directory import matching_institutions
from netmap.store.base import Network
from netmap.tables import human_date
from netmap.taxonomy import load_taxonomy
from netmap.ui import cached
from netmap.ui.access import allowed, guarded_store, require
from netmap.ui.demo import empty_state
from netmap.ui.profile import profile
from netmap.ui.text import country_label
from netmap.ui.widgets import PROFILE_PARAMETER, choose_institution, run_page

PROFILE_KEY = "directory-profile"


def directory_table(network: Network, ids: Iterable[str], why: dict[str, str]) -> pd.DataFrame:
    """The table of institutions ``ids``, in that order."""
    taxonomy = load_taxonomy()
    rows = network.institutions.set_index("id")
    ids = [i for i in dict.fromkeys(ids) if i in rows.index]
    chosen = rows.loc[ids]
    return pd.DataFrame(
        {
            "id": ids,
            "Name": list(chosen["name"]),
            "Local name": [v or "" for v in chosen["name_local"]],
            "Sector": [taxonomy.label("sectors", v) for v in chosen["sector"]],
            "City": [v or "" for v in chosen["city"]],
            "Country": list(chosen["country"]),
            "Last verified": [human_date(v) or "never" for v in chosen["last_verified"]],
            "Found by": [why.get(i, "") for i in ids],
        },
        columns=[
            "id",
            "Name",
            "Local name",
            "Sector",
            "City",
            "Country",
            "Last verified",
            "Found by",
        ],
    )


def search_box(store, network: Network) -> pd.DataFrame:
    text = st.text_input(
        "Search",
        key="directory-search",
        type="search",
        live=True,
        placeholder="A name, acronym, city or initiative, in any script: Пловдив, "
        "Θεσσαλονίκη, Niš…",
    )
    taxonomy = load_taxonomy()
    left, right = st.columns(2)
    countries = left.multiselect(
        "Countries",
        sorted(set(network.institutions["country"])),
        format_func=country_label,
        key="directory-countries",
        placeholder="All countries",
    )
    present = set(network.institutions["sector"])
    sectors = right.multiselect(
        "Sectors",
        [s for s in taxonomy.sectors if s in present],
        format_func=lambda s: taxonomy.label("sectors", s),
        key="directory-sectors",
        placeholder="All sectors",
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
        table = table[table["Country"].isin(countries)]
    if sectors:
        labels = {taxonomy.label("sectors", s) for s in sectors}
        table = table[table["Sector"].isin(labels)]
    if text.strip():
        st.caption(f"{len(table)} institution{'s' * (len(table) != 1)} found for “{text}”.")
    else:
        st.caption(f"All {len(table)} institutions. Click a column title to sort.")
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
        st.warning("The institution that link names is not in the directory (any more).")
        return
    st.session_state["directory-search"] = ""
    st.session_state["directory-countries"] = []
    st.session_state["directory-sectors"] = []
    st.session_state[PROFILE_KEY] = asked


def main() -> None:
    require("viewer")
    store = guarded_store()
    network = cached.network(store)
    st.title("Directory")
    if empty_state(store):
        return
    open_asked_profile(network)
    table = search_box(store, network)
    if table.empty:
        st.info("Nothing matches. Try fewer letters, another spelling, or remove a filter.")
        return
    selection = st.dataframe(
        table.drop(columns=["id"] + ([] if table["Found by"].any() else ["Found by"])),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(table), 420),
        on_select="rerun",
        selection_mode="single-row",
        key="directory-table",
        column_config={
            "Name": st.column_config.TextColumn(width="large"),
            "Local name": st.column_config.TextColumn(width="medium"),
            "Sector": st.column_config.TextColumn(width="small"),
            "City": st.column_config.TextColumn(width="small"),
            "Country": st.column_config.TextColumn(width=60),
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
        "Profile of",
        ids=ids,
        key=PROFILE_KEY,
        help="Or click a row of the table.",
        required=True,
    )
    st.divider()
    if chosen:
        profile(store, network, chosen)


run_page(main)
