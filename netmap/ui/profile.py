"""An institution's profile: its facts, contacts, ties and initiatives.

One implementation for every page that shows one: the Directory beside its table, the
Network page beside its graph.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from netmap import viz
from netmap.analysis.sources import cited, how_known
from netmap.codes import language_name
from netmap.graph import ego_graph
from netmap.i18n import N_, ngettext
from netmap.i18n import gettext as _
from netmap.store.base import Network
from netmap.tables import human_date
from netmap.taxonomy import load_taxonomy
from netmap.ui import cached
from netmap.ui.access import allowed, personal
from netmap.ui.text import country_label, md

_ARROWS = {"out": "→", "in": "←", "both": "—"}
#: How strong a tie is, in words.
STRENGTHS = {
    # Translators: the strength of a tie between two institutions
    1: N_("weak"),
    # Translators: the strength of a tie between two institutions (they work together)
    2: N_("working"),
    # Translators: the strength of a tie between two institutions
    3: N_("strong"),
}


def profile(store, network: Network, institution_id: str, *, ego: bool = True) -> None:
    """Everything about one institution: facts, contacts, ties, initiatives.

    With ``ego`` its direct partners are drawn beside the facts; a page that shows the
    institution in its own graph (the Network page) leaves that out and stacks the rest.
    """
    taxonomy = load_taxonomy()
    titles = dict(cached.table_words(store).sources)  # by title, publisher, date and link
    row = _records(network.institutions[network.institutions["id"] == institution_id])[0]
    st.subheader(md(row["name"]), anchor=False)
    if row["name_local"] and row["name_local"] != row["name"]:
        st.markdown(f"*{md(row['name_local'])}*")
    facts = {
        _("Acronym"): row["acronym"],
        _("Sector"): taxonomy.label("sectors", row["sector"]),
        # Translators: the kind of an institution (ministry, NGO, court…)
        _("Kind"): taxonomy.label("kinds", row["kind"]),
        # Translators: the level an institution works at (national, regional, local)
        _("Level"): taxonomy.label("levels", row["level"]),
        _("City"): row["city"],
        _("Country"): country_label(row["country"]),
        _("Services"): services_text(row, titles),
        _("Languages"): ", ".join(language_name(code) for code in row["languages"] or []),
        # Translators: the groups of people an institution serves (children, women…)
        _("Serves"): ", ".join(
            taxonomy.label("target_groups", g) for g in row["target_groups"] or []
        ),
        _("Website"): row["website"],
        _("E-mail"): row["email"],
        _("Phone"): row["phone"],
        _("Address"): row["address"],
        # Translators: a record that stands for a group of bodies (all the municipalities…)
        _("Stands for"): _("a group, not one body") if row.get("collective") else None,
        _("Source"): cited(row["source"], titles),
        _("How it is known"): how_known(row, titles),
        _("Last verified"): human_date(row["last_verified"]) or _("never"),
        _("Id"): institution_id,
    }
    left, right = st.columns([3, 2]) if ego else (st.container(), None)
    shown = [(k, str(v)) for k, v in facts.items() if v not in (None, "", [])]
    with left:
        if ego:
            st.dataframe(
                # Translators: the two columns of an institution's facts: what, and its value
                pd.DataFrame(shown, columns=[_("About"), _("Details")]),
                hide_index=True,
                width="stretch",
                column_config={_("About"): st.column_config.TextColumn(width="small")},
            )
        else:  # a narrow column: lines that wrap read better than a table's cut cells
            st.markdown("\n".join(f"- **{k}**: {md(v)}" for k, v in shown))
        if row["notes"]:
            st.caption(_("Notes"))
            st.text(row["notes"])
    if right is not None:
        with right:
            partners = ego_graph(network, institution_id, 1)
            drawing = viz.institution_drawing(
                partners, center=institution_id, height=330, cite=cached.table_words(store).source
            )
            st.iframe(
                drawing.html(),
                height="content",
                alt=_("The institution and its direct partners"),
            )
            count = partners.number_of_nodes() - 1
            said = ngettext(
                "%(name)s and its %(count)d direct partner.",
                "%(name)s and its %(count)d direct partners.",
                count,
            )
            st.caption(said % {"name": md(row["name"]), "count": count})

    contacts_section(network, institution_id)
    ties_section(network, institution_id, titles)
    initiatives_section(network, institution_id, titles)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts by column name."""
    return [{str(k): v for k, v in record.items()} for record in frame.to_dict("records")]


def services_text(row: Mapping[str, Any], titles: dict[str, str]) -> str:
    """What an institution offers, and how that is known (its sector's defaults: assumed)."""
    taxonomy = load_taxonomy()
    listed = list(row["services"] or [])
    offered = taxonomy.services_of(row["sector"], listed)
    if not offered:
        # Translators: an institution's services, where none is recorded
        return _("none recorded")
    text = ", ".join(taxonomy.label("services", s) for s in offered)
    if not listed:
        return _("%(services)s — assumed: usual for its sector; nothing recorded says it does") % {
            "services": text
        }
    if not row.get("services_evidence"):
        return text
    own = {
        "documented": row.get("services_quote"),
        "inferred": row.get("services_inferred_from"),
    }.get(row["services_evidence"])
    known = taxonomy.label("evidence", row["services_evidence"]).lower()
    if own:
        # Translators: services, how it is known (documented, inferred…), and the evidence
        return _("%(services)s — %(known)s: %(evidence)s") % {
            "services": text,
            "known": known,
            "evidence": own,
        }
    # Translators: services, then how it is known (documented, inferred…)
    return _("%(services)s — %(known)s") % {"services": text, "known": known}


def contacts_section(network: Network, institution_id: str) -> None:
    contacts = network.contacts[network.contacts["institution_id"] == institution_id]
    title = _("Contacts")
    st.markdown(f"**{title}** ({len(contacts)})")
    if contacts.empty:
        st.caption(_("No contact recorded."))
        return
    if not allowed("member"):
        st.caption(_("Contacts' names, e-mails and phones are shown to members only."))
    table = pd.DataFrame(
        [
            {
                _("Name"): personal(c["name"]),
                # Translators: a contact person's role in the institution (a column header)
                _("Role"): c["role"] or "",
                _("E-mail"): personal(c["email"]),
                _("Phone"): personal(c["phone"]),
                _("Languages"): ", ".join(language_name(code) for code in c["languages"] or []),
                _("Focal point"): _("yes") if c["focal_point"] else "",
                _("Last verified"): human_date(c["last_verified"]) or _("never"),
            }
            for c in contacts.to_dict("records")
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch")


def ties_section(network: Network, institution_id: str, titles: dict[str, str]) -> None:
    taxonomy = load_taxonomy()
    ties = network.ties
    mine = ties[(ties["source_id"] == institution_id) | (ties["target_id"] == institution_id)]
    title = _("Ties")
    st.markdown(f"**{title}** ({len(mine)})")
    if mine.empty:
        st.caption(_("No tie recorded: this institution is isolated in the network."))
        return
    names = network.institutions.set_index("id")
    initiatives = dict(zip(network.initiatives["id"], network.initiatives["name"], strict=True))
    records = []
    for tie in _records(mine):
        outgoing = tie["source_id"] == institution_id
        partner = tie["target_id"] if outgoing else tie["source_id"]
        direction = ("out" if outgoing else "in") if tie["directed"] else "both"
        strength = STRENGTHS.get(tie["strength"])
        partner_row = names.loc[partner] if partner in names.index else None
        records.append(
            {
                "": _ARROWS[direction],
                # Translators: a column of an institution's ties: the other institution
                _("Partner"): partner_row["name"] if partner_row is not None else partner,
                _("Where"): ", ".join(filter(None, [partner_row["city"], partner_row["country"]]))
                if partner_row is not None
                else "",
                _("Kind"): taxonomy.label("tie_kinds", tie["kind"]),
                _("Strength"): _(strength) if strength else "",
                _("Since"): human_date(tie["since"]),
                _("Until"): human_date(tie["until"]),
                _("Initiative"): initiatives.get(tie["initiative_id"], "")
                if tie["initiative_id"]
                else "",
                _("Carries cases"): _("yes")
                if tie["kind"] in taxonomy.case_carrying_tie_kinds
                else "",
                _("How it is known"): how_known(tie, titles),
                _("Last verified"): human_date(tie["last_verified"]) or _("never"),
            }
        )
    st.dataframe(pd.DataFrame(records), hide_index=True, width="stretch")
    st.caption(
        _(
            "→ this institution refers or funds the partner; ← the other way; — both ways. "
            "Only ties that carry cases (referral, case coordination, a protocol with "
            "referral duties, a joint operation) count as routes for a case."
        )
    )


def initiatives_section(network: Network, institution_id: str, titles: dict[str, str]) -> None:
    taxonomy = load_taxonomy()
    parts = network.participations[network.participations["institution_id"] == institution_id]
    title = _("Initiatives")
    st.markdown(f"**{title}** ({len(parts)})")
    if parts.empty:
        st.caption(_("Takes part in no recorded initiative."))
        return
    initiatives = network.initiatives.set_index("id")
    records = []
    for part in _records(parts):
        if part["initiative_id"] not in initiatives.index:
            continue
        item = initiatives.loc[part["initiative_id"]]
        records.append(
            {
                _("Initiative"): item["name"],
                _("Kind"): taxonomy.label("initiative_kinds", item["kind"]),
                _("Role"): taxonomy.label("participation_roles", part["role"]),
                _("Start"): human_date(item["start"]),
                _("End"): human_date(item["end"]),
                _("Funder"): item["funder"] or "",
                _("How it is known"): how_known(part, titles),
            }
        )
    st.dataframe(pd.DataFrame(records), hide_index=True, width="stretch")
