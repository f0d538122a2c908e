"""Find a contact: whom to call in another country or city, and who can introduce you.

"I am at ARSIS in Thessaloniki; a child from Plovdiv needs safe return: whom do I call?"
Candidates that offer the service and share a language, ranked by fit and by trust
distance; each card says how to reach the institution (its phone, e-mail, website and
address, as recorded, for every role; a contact person's details for members), why it
fits, how recently it was verified, the chain of existing partners that leads there, drawn
as a small graph in the same direction, and links to the institution's profile.
"""

from __future__ import annotations

import streamlit as st

from netmap import viz
from netmap.analysis.finder import find_contacts
from netmap.directory import Reach, how_to_reach
from netmap.graph import graph_among
from netmap.i18n import N_, format_number, ngettext
from netmap.i18n import gettext as _
from netmap.store.base import iter_rows
from netmap.taxonomy import load_taxonomy
from netmap.ui import cached
from netmap.ui.access import allowed, guarded_store, personal, require
from netmap.ui.demo import empty_state
from netmap.ui.text import country_label, language_label, md
from netmap.ui.widgets import (
    choose_institution,
    include_modelled,
    modelled_note,
    profile_link,
    run_page,
)

DRAWN_PATHS = 3  # the first reachable candidates get their path drawn as a graph


@cached.per_revision(max_entries=32, show_spinner=N_("Looking for contacts…"))
def _candidates(store, request: tuple, modelled: bool):
    """The candidates for ``request`` (``modelled``: whether modelled records count), their
    reasons in the current language (:func:`cached.per_revision` keeps one per language)."""
    from_id, country, city, service, sector, languages = request
    return find_contacts(
        cached.network(store),
        from_id,
        country,
        city=city,
        service=service,
        sector=sector,
        languages=languages,
        limit=20,
        index=cached.finder_index(store, modelled),
    )


def request_form(store, network) -> tuple | None:
    """The request: who asks, where, for what; None until a country is chosen."""
    taxonomy = load_taxonomy()
    institutions = network.institutions
    from_id = choose_institution(
        store,
        # Translators: the institution where the person asking works ("I am at ARSIS")
        _("I am at"),
        key="finder-from",
        placeholder=_("Choose your institution (type to search)"),
    )
    left, middle, right = st.columns(3)
    countries = sorted(set(institutions["country"]))
    country = left.selectbox(
        # Translators: followed by the country chosen ("Whom do I call in Bulgaria")
        _("Whom do I call in"),
        countries,
        index=None,
        format_func=country_label,
        key="finder-country",
        placeholder=_("Choose a country"),
    )
    cities = sorted(
        {city.name for city in cached.places(store) if not city.unnamed and city.country == country}
    )
    city = middle.selectbox(
        _("City"),
        cities,
        index=None,
        key="finder-city",
        placeholder=_("Any city"),
        disabled=not country,
    )
    service = right.selectbox(
        _("For which service"),
        list(taxonomy.services),
        index=None,
        format_func=lambda s: taxonomy.label("services", s),
        key="finder-service",
        placeholder=_("Any service"),
    )
    left, right = st.columns(2)
    present = set(institutions["sector"])
    sector = left.selectbox(
        _("Sector"),
        [s for s in taxonomy.sectors if s in present],
        index=None,
        format_func=lambda s: taxonomy.label("sectors", s),
        key="finder-sector",
        placeholder=_("Any sector"),
    )
    spoken = sorted(
        {code for codes in institutions["languages"] for code in codes or []}
        | {code for codes in network.contacts["languages"] for code in codes or []}
    )
    default = []
    if from_id:
        default = [
            c for c in institutions.set_index("id").loc[from_id, "languages"] or [] if c in spoken
        ]
    languages = right.multiselect(
        _("Languages I speak"),
        spoken,
        default=default,
        format_func=language_label,
        key=f"finder-languages-{from_id}",
        placeholder=_("Choose options"),
        help=_("Default: the languages of your institution."),
    )
    if not from_id or not country:
        st.caption(
            _(
                "Choose your institution and the country you need a contact in. netmap ranks "
                "the institutions there by how well they fit (service, shared language, how "
                "recently verified) and by how close they are to you through existing ties."
            )
        )
        return None
    return (from_id, country, city, service, sector, tuple(languages))


#: How each way of reaching an institution is marked on a card.
REACH_ICONS = {
    "phone": ":material/call:",
    "email": ":material/mail:",
    "website": ":material/language:",
    "address": ":material/location_on:",
}


def reach_line(ways: list[Reach]) -> str:
    """The ways to reach an institution as one Markdown line: icon, then a link (mailto:,
    tel:, http/https) or plain text; every user string escaped."""
    parts = []
    for way in ways:
        text = md(way.text)
        shown = f"[{text}]({_link_target(way.link)})" if way.link else text
        parts.append(f"{REACH_ICONS[way.kind]} {shown}")
    return " · ".join(parts)


def _link_target(link: str) -> str:
    """A link target Markdown cannot misread: brackets, spaces and angle brackets encoded."""
    return "".join(
        {"(": "%28", ")": "%29", " ": "%20", "<": "%3C", ">": "%3E"}.get(c, c) for c in link
    )


def candidate_card(graph, candidate, index: int, institutions) -> None:
    """One result: how to reach it, why it fits, how fresh, and the introduction path."""
    taxonomy = load_taxonomy()
    row = institutions.get(candidate.institution_id, {})
    names = {key: value.get("name") for key, value in institutions.items()}
    with st.container(border=True, key=f"finder-card-{index}"):
        head, score = st.columns([4, 1])
        title = candidate.institution_name
        if candidate.contact_name and allowed("member"):
            title = f"{candidate.contact_name} — {candidate.institution_name}"
        head.markdown(f"**{index}. {md(title)}**")
        place = ", ".join(filter(None, [candidate.city, country_label(candidate.country)]))
        local = row.get("name_local")
        facts = [
            local if local and local != candidate.institution_name else None,
            taxonomy.label("sectors", candidate.sector),
            place,
        ]
        head.caption(md(" · ".join(filter(None, facts))))
        # Translators: how well a candidate fits the request, out of 100
        fit = _("Fit %(score)s/100") % {"score": format_number(candidate.score, decimals=0)}
        score.progress(min(max(candidate.score / 100, 0.0), 1.0), text=fit)
        ways = how_to_reach(row)
        if ways:
            st.markdown(reach_line(ways))
        else:
            st.caption(_("No phone, e-mail, website or address of the institution is recorded."))
        if candidate.contact_id:
            # The finder falls back on the institution's own e-mail and phone, shown above.
            email = candidate.email if candidate.email != row.get("email") else None
            phone = candidate.phone if candidate.phone != row.get("phone") else None
            person = [
                # Translators: a contact person's role in the institution
                (_("Role"), candidate.role, None),
                (_("E-mail"), email and personal(email), allowed("member") and f"mailto:{email}"),
                (_("Phone"), phone and personal(phone), None),
            ]
            lines = [
                f"{label}: " + (f"[{md(value)}]({_link_target(link)})" if link else md(value))
                for label, value, link in person
                if value
            ]
            if lines:
                title = _("Contact person")
                st.markdown(f"**{title}** · " + " · ".join(lines))
        else:
            st.caption(_("No contact person recorded: reach the institution itself."))
        st.markdown("\n".join(f"- {md(reason)}" for reason in candidate.reasons))
        if candidate.reachable and len(candidate.path) > 1:
            chain = " → ".join(md(names.get(i) or i) for i in candidate.path)
            said = ngettext(
                "**Introduction path** (%(count)d step): %(chain)s",
                "**Introduction path** (%(count)d steps): %(chain)s",
                candidate.hops,
            )
            st.markdown(said % {"count": candidate.hops, "chain": chain})
            if index <= DRAWN_PATHS:
                drawing = viz.path_drawing(graph, candidate.path, height=170)
                st.iframe(drawing.html(), height=174, alt=_("The introduction path as a graph"))
        profile_link(
            candidate.institution_id,
            _("Open the profile of %(name)s") % {"name": candidate.institution_name},
        )


def main() -> None:
    require("viewer")
    store = guarded_store()
    network = cached.network(store)
    st.title(_("Find a contact"))
    if empty_state(store):
        return
    request = request_form(store, network)
    if request is None:
        return
    candidates = _candidates(store, request, include_modelled())
    modelled_note()
    if not candidates:
        st.warning(
            _(
                "No institution in that place fits. Leave out the city, the service or the "
                "sector to widen the search."
            )
        )
        return
    reachable = sum(1 for c in candidates if c.reachable)
    said = ngettext(
        "%(count)d candidate, %(reachable)d reachable through your partners",
        "%(count)d candidates, %(reachable)d reachable through your partners",
        len(candidates),
    )
    st.subheader(said % {"count": len(candidates), "reachable": reachable}, anchor=False)
    if not allowed("member"):
        st.caption(
            _(
                "Contact persons' names, e-mails and phones are shown to members only; every "
                "institution's own phone, e-mail, website and address are shown to all."
            )
        )
    graph = graph_among(network, {i for c in candidates for i in c.path or ()})
    institutions = {row["id"]: row for row in iter_rows(network.institutions)}
    for index, candidate in enumerate(candidates, start=1):
        candidate_card(graph, candidate, index, institutions)


run_page(main)
