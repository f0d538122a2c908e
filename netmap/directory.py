"""Finding institutions by what someone types: the Directory's search and the name pickers.

The Directory lists institutions, but a search (:class:`netmap.search_index.SearchIndex`)
also finds cities, contacts and initiatives: :func:`matching_institutions` turns each hit
into the institutions it stands for, and says why each one is listed. Where the app asks
for one institution among very many, :func:`names_matching` narrows the choice to those
whose label holds every word typed, in any script. :func:`how_to_reach` says how to reach
an institution once found.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from netmap.i18n import gettext as _
from netmap.model import name_key
from netmap.store.base import Network
from netmap.tables import web_link

if TYPE_CHECKING:  # the index (rapidfuzz, numpy) is built only once someone searches
    from netmap.search_index import SearchIndex

#: How many institutions :func:`names_matching` returns at most: a choice to read.
MATCHES_SHOWN = 50


def matching_institutions(
    network: Network, index: SearchIndex, text: str, *, contacts: bool = False
) -> dict[str, str]:
    """Return ``{institution id: why it is listed}`` for a search, best match first, the
    reasons in the current language.

    An institution that matches is listed for its ``"name"``; a city brings its
    institutions (``"in Plovdiv"``), an initiative its participants (``"takes part in
    …"``) and, when ``contacts`` (the role may see them), a contact its institution
    (``"contact …"``). An institution is listed once, for its best reason. ``index`` is
    the search index of ``network``.
    """
    kinds = ["institution", "city", "initiative"] + (["contact"] if contacts else [])
    institutions = network.institutions
    found: dict[str, str] = {}
    for hit in index.search(text, limit=100, kinds=kinds):
        if hit.kind == "institution":
            # Translators: why the Directory lists an institution: its name matches the search
            found.setdefault(hit.id, _("name"))
        elif hit.kind == "city":
            city = network.cities[network.cities["id"] == hit.id]
            if city.empty:
                continue
            country, key = city.iloc[0]["country"], name_key(city.iloc[0]["name"])
            for row in institutions[institutions["country"] == country].to_dict("records"):
                if name_key(row["city"]) == key:
                    # Translators: why the Directory lists an institution: it is in that city
                    found.setdefault(row["id"], _("in %(city)s") % {"city": hit.name})
        elif hit.kind == "contact":
            contact = network.contacts[network.contacts["id"] == hit.id]
            if not contact.empty:
                # Translators: why the Directory lists an institution: a contact person of it
                # matches the search (the person's name follows)
                reason = _("contact %(name)s") % {"name": hit.name}
                found.setdefault(contact.iloc[0]["institution_id"], reason)
        elif hit.kind == "initiative":
            members = network.participations[network.participations["initiative_id"] == hit.id]
            for institution_id in members["institution_id"]:
                reason = _("takes part in %(initiative)s") % {"initiative": hit.name}
                found.setdefault(institution_id, reason)
    return found


def institution_names(network: Network) -> dict[str, str]:
    """Return ``{id: "Name – City, CC"}`` for every institution, in the network's order.

    The outline is enough (:meth:`netmap.store.base.GraphStore.outline`).
    """
    rows = network.institutions
    return {
        i: f"{name} – {', '.join(filter(None, [city, country]))}"
        for i, name, city, country in zip(
            rows["id"], rows["name"], rows["city"], rows["country"], strict=True
        )
    }


def folded_names(network: Network, names: Mapping[str, str]) -> dict[str, str]:
    """Return each institution's label (``names``), local name and id folded for search
    across scripts, accents and transliterations (:func:`netmap.places.name_key`).

    Apart from :func:`institution_names`: folding a hundred thousand takes over a second,
    only worth it once someone searches.
    """
    rows = network.institutions
    local = dict(zip(rows["id"], rows["name_local"], strict=True))
    return {i: name_key(f"{label} {local.get(i) or ''} {i}") for i, label in names.items()}


def names_matching(
    folded: Mapping[str, str],
    query: str,
    within: Collection[str] | None = None,
    limit: int = MATCHES_SHOWN,
) -> list[str]:
    """Return the ids whose folded text (:func:`folded_names`) holds every word of
    ``query``, in ``folded``'s order, at most ``limit`` of them.

    A word matches anywhere in the text (``"thess"`` finds Thessaloniki, ``"Ниш"`` finds
    Niš). ``within``: only these ids (None: all). An empty query matches nothing.
    """
    words = name_key(query).split()
    if not words:
        return []
    matches = []
    for i, text in folded.items():
        if all(word in text for word in words) and (within is None or i in within):
            matches.append(i)
            if len(matches) == limit:
                break
    return matches


@dataclass(frozen=True)
class Reach:
    """One way to reach an institution: ``kind`` (``phone``, ``email``, ``website`` or
    ``address``), the ``text`` to show, and the ``link`` to follow (``tel:``, ``mailto:``,
    ``http(s):``; None for an address, or for text that is not a usable address)."""

    kind: str
    text: str
    link: str | None


#: The institution's own fields a user reaches it by, in the order they are shown.
REACH_FIELDS = ("phone", "email", "website", "address")


def how_to_reach(institution: Mapping[str, Any]) -> list[Reach]:
    """How to reach an institution (a row of the institutions table), as recorded: its
    own phone, e-mail, website and address, each with a link where one makes sense.

    These are the institution's functional details, not a person's: every role sees them
    (a contact person's phone and e-mail are the contact's, shown to members only). A
    website becomes a link only as an ``http``/``https`` address (``www.…`` without a
    scheme is taken as ``https://www.…``); anything else stays text.
    """
    found = []
    for kind in REACH_FIELDS:
        value = institution.get(kind)
        if not isinstance(value, str) or not value.strip():
            continue
        text = " ".join(value.split())
        found.append(Reach(kind, text, _link(kind, text)))
    return found


def _link(kind: str, text: str) -> str | None:
    if kind == "phone":
        digits = re.sub(r"[^\d+]", "", text)
        return f"tel:{digits}" if len(re.sub(r"\D", "", digits)) >= 3 else None
    if kind == "email":
        return f"mailto:{quote(text, safe='@.+')}" if _EMAIL.fullmatch(text) else None
    if kind == "website":
        address = text if re.match(r"(?i)https?://", text) else f"https://{text}"
        return web_link(quote(address, safe=":/?#[]@!$&'*+,;=%~"))
    return None


_EMAIL = re.compile(r"[^@\s<>()\"']+@[^@\s<>()\"']+\.[^@\s<>()\"']+")
