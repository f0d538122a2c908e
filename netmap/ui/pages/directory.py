"""Directory: search as you type in any script, a sortable table, and institution profiles.

A link with ``?institution=ID`` (a contact card's) opens that profile. A search for
``Пловдив`` lists the institutions of Plovdiv: a city that matches brings its
institutions, a contact its institution (for members), an initiative its participants.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from netmap import viz
from netmap.analysis.sources import cited, how_known
from netmap.codes import language_name
from netmap.directory import matching_institutions
from netmap.graph import ego_graph
from netmap.store.base import Network
from netmap.tables import human_date
from netmap.taxonomy import load_taxonomy
from netmap.ui import cached
from netmap.ui.access import allowed, guarded_store, personal, require
from netmap.ui.demo import empty_state
from netmap.ui.text import country_label, md
from netmap.ui.widgets import PROFILE_PARAMETER, choose_institution, run_page

PROFILE_KEY = "directory-profile"
_ARROWS = {"out": "→", "in": "←", "both": "—"}


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


def profile(store, network: Network, institution_id: str) -> None:
    """Everything about one institution: facts, contacts, ties, initiatives."""
    taxonomy = load_taxonomy()
    titles = dict(cached.table_words(store).sources)  # by title, publisher, date and link
    rows = network.institutions.set_index("id")
    row = rows.loc[institution_id]
    st.subheader(md(row["name"]), anchor=False)
    if row["name_local"] and row["name_local"] != row["name"]:
        st.markdown(f"*{md(row['name_local'])}*")
    facts = {
        "Acronym": row["acronym"],
        "Sector": taxonomy.label("sectors", row["sector"]),
        "Kind": taxonomy.label("kinds", row["kind"]),
        "Level": taxonomy.label("levels", row["level"]),
        "City": row["city"],
        "Country": country_label(row["country"]),
        "Services": services_text(row, titles),
        "Languages": ", ".join(language_name(code) for code in row["languages"] or []),
        "Serves": ", ".join(taxonomy.label("target_groups", g) for g in row["target_groups"] or []),
        "Website": row["website"],
        "E-mail": row["email"],
        "Phone": row["phone"],
        "Address": row["address"],
        "Stands for": "a group, not one body" if row.get("collective") else None,
        "Source": cited(row["source"], titles),
        "How it is known": how_known(row.to_dict(), titles),
        "Last verified": human_date(row["last_verified"]) or "never",
        "Id": institution_id,
    }
    left, right = st.columns([3, 2])
    with left:
        shown = pd.DataFrame(
            [(k, str(v)) for k, v in facts.items() if v not in (None, "", [])],
            columns=["About", "Details"],
        )
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            column_config={"About": st.column_config.TextColumn(width="small")},
        )
        if row["notes"]:
            st.caption("Notes")
            st.text(row["notes"])
    with right:
        ego = ego_graph(network, institution_id, 1)
        drawing = viz.institution_drawing(ego, center=institution_id, height=330)
        st.iframe(drawing.html(), height="content", alt="The institution and its direct partners")
        st.caption(f"{md(row['name'])} and its {ego.number_of_nodes() - 1} direct partners.")

    contacts_section(network, institution_id)
    ties_section(network, institution_id, titles)
    initiatives_section(network, institution_id, titles)


def services_text(row: pd.Series, titles: dict[str, str]) -> str:
    """What an institution offers, and how that is known (its sector's defaults: assumed)."""
    taxonomy = load_taxonomy()
    listed = list(row["services"] or [])
    offered = taxonomy.services_of(row["sector"], listed)
    if not offered:
        return "none recorded"
    text = ", ".join(taxonomy.label("services", s) for s in offered)
    if not listed:
        return text + " — assumed: usual for its sector; nothing recorded says it does"
    if not row.get("services_evidence"):
        return text
    own = {
        "documented": row.get("services_quote"),
        "inferred": row.get("services_inferred_from"),
    }.get(row["services_evidence"])
    known = taxonomy.label("evidence", row["services_evidence"]).lower()
    return f"{text} — {known}" + (f": {own}" if own else "")


def contacts_section(network: Network, institution_id: str) -> None:
    contacts = network.contacts[network.contacts["institution_id"] == institution_id]
    st.markdown(f"**Contacts** ({len(contacts)})")
    if contacts.empty:
        st.caption("No contact recorded.")
        return
    if not allowed("member"):
        st.caption("Contacts' names, e-mails and phones are shown to members only.")
    table = pd.DataFrame(
        [
            {
                "Name": personal(c["name"]),
                "Role": c["role"] or "",
                "E-mail": personal(c["email"]),
                "Phone": personal(c["phone"]),
                "Languages": ", ".join(language_name(code) for code in c["languages"] or []),
                "Focal point": "yes" if c["focal_point"] else "",
                "Last verified": human_date(c["last_verified"]) or "never",
            }
            for c in contacts.to_dict("records")
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch")


def ties_section(network: Network, institution_id: str, titles: dict[str, str]) -> None:
    taxonomy = load_taxonomy()
    ties = network.ties
    mine = ties[(ties["source_id"] == institution_id) | (ties["target_id"] == institution_id)]
    st.markdown(f"**Ties** ({len(mine)})")
    if mine.empty:
        st.caption("No tie recorded: this institution is isolated in the network.")
        return
    names = network.institutions.set_index("id")
    initiatives = dict(zip(network.initiatives["id"], network.initiatives["name"], strict=True))
    records = []
    for tie in mine.to_dict("records"):
        outgoing = tie["source_id"] == institution_id
        partner = tie["target_id"] if outgoing else tie["source_id"]
        direction = ("out" if outgoing else "in") if tie["directed"] else "both"
        partner_row = names.loc[partner] if partner in names.index else None
        records.append(
            {
                "": _ARROWS[direction],
                "Partner": partner_row["name"] if partner_row is not None else partner,
                "Where": ", ".join(filter(None, [partner_row["city"], partner_row["country"]]))
                if partner_row is not None
                else "",
                "Kind": taxonomy.label("tie_kinds", tie["kind"]),
                "Strength": {1: "weak", 2: "working", 3: "strong"}.get(tie["strength"], ""),
                "Since": human_date(tie["since"]),
                "Until": human_date(tie["until"]),
                "Initiative": initiatives.get(tie["initiative_id"], "")
                if tie["initiative_id"]
                else "",
                "Carries cases": "yes" if tie["kind"] in taxonomy.case_carrying_tie_kinds else "",
                "How it is known": how_known(tie, titles),
                "Last verified": human_date(tie["last_verified"]) or "never",
            }
        )
    st.dataframe(pd.DataFrame(records), hide_index=True, width="stretch")
    st.caption(
        "→ this institution refers or funds the partner; ← the other way; — both ways. "
        "Only ties that carry cases (referral, case coordination, a protocol with referral "
        "duties, a joint operation) count as routes for a case."
    )


def initiatives_section(network: Network, institution_id: str, titles: dict[str, str]) -> None:
    taxonomy = load_taxonomy()
    parts = network.participations[network.participations["institution_id"] == institution_id]
    st.markdown(f"**Initiatives** ({len(parts)})")
    if parts.empty:
        st.caption("Takes part in no recorded initiative.")
        return
    initiatives = network.initiatives.set_index("id")
    records = []
    for part in parts.to_dict("records"):
        if part["initiative_id"] not in initiatives.index:
            continue
        item = initiatives.loc[part["initiative_id"]]
        records.append(
            {
                "Initiative": item["name"],
                "Kind": taxonomy.label("initiative_kinds", item["kind"]),
                "Role": taxonomy.label("participation_roles", part["role"]),
                "From": human_date(item["start"]),
                "To": human_date(item["end"]),
                "Funder": item["funder"] or "",
                "How it is known": how_known(part, titles),
            }
        )
    st.dataframe(pd.DataFrame(records), hide_index=True, width="stretch")


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
    profile(store, network, chosen)


run_page(main)
