"""Words on the page: user text made safe for Streamlit's Markdown, countries, fields,
waits."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from netmap.codes import country_name, language_name
from netmap.i18n import N_, format_number, ngettext
from netmap.i18n import gettext as _
from netmap.model import RecordKind
from netmap.tables import ACTIONS, header

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=^&])")
# Where Streamlit's Markdown (remark-gfm) turns plain text into a live link to a web
# page, whatever is escaped: "http://", "https://" and "www.". A word joiner (U+2060,
# invisible and zero-width) after the ":" of "://" and after "www" breaks the patterns it
# looks for; the text reads the same. E-mail addresses stay mailto links (a contact's
# e-mail is meant to be clicked, and copied whole).
_AUTOLINKED = re.compile(r"(?i)(://|\bwww(?=\.))")
_WORD_JOINER = "\u2060"


def md(text: Any) -> str:
    """Return user text escaped for Streamlit markdown: shown as written, never as markup.

    Without this a name could carry a link, an image fetched from the internet, or
    Streamlit's ``:red[…]`` directives into the page. Backslash escapes do not stop
    GitHub-style autolinks of web addresses (``https://…``, ``www.…``): those get an
    invisible word joiner that keeps them text.
    """
    if text is None:
        return ""
    flat = " ".join(str(text).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _AUTOLINKED.sub(_unlinked, flat))


def _unlinked(found: re.Match) -> str:
    """Put a word joiner (U+2060) inside ``found``, where it would start an autolink."""
    return ":" + _WORD_JOINER + "//" if found[1] == "://" else found[1] + _WORD_JOINER


def shown_as(labels: Mapping[Any, str], translate: bool = False) -> Callable[[Any], str]:
    """A widget's ``format_func`` that shows each option by its label (an option without
    one as itself); with ``translate``, the labels are English texts marked with ``N_``
    and are shown in the current language."""
    if translate:
        return lambda option: _(labels[option]) if option in labels else str(option)
    return lambda option: labels.get(option, str(option))


#: The fields of records as a table's header names them, translated where shown
#: (:func:`field_label`).
FIELD_LABELS = {
    "id": N_("Id"),
    "name": N_("Name"),
    "name_local": N_("Local name"),
    "acronym": N_("Acronym"),
    "sector": N_("Sector"),
    # Translators: the kind of an institution, a tie or an initiative (a field's name).
    "kind": N_("Kind"),
    "level": N_("Level"),
    "country": N_("Country"),
    "countries": N_("Countries"),
    "city": N_("City"),
    "cities": N_("Cities"),
    "services": N_("Services"),
    "languages": N_("Languages"),
    "language": N_("Language"),
    "target_groups": N_("Target groups"),
    "website": N_("Website"),
    "email": N_("Email"),
    "phone": N_("Phone"),
    "address": N_("Address"),
    "notes": N_("Notes"),
    "collective": N_("Stands for a group"),
    "institution_id": N_("Institution"),
    "initiative_id": N_("Initiative"),
    # Translators: a contact's role in their institution, or an institution's role in an
    # initiative (a field's name).
    "role": N_("Role"),
    "focal_point": N_("Focal point"),
    "legal_basis": N_("Legal basis"),
    "collected_on": N_("Collected on"),
    "verified_by": N_("Verified by"),
    "informed_on": N_("Told they are listed on"),
    # Translators: the institution a tie starts from (a field's name).
    "source_id": N_("From"),
    # Translators: the institution a tie goes to (a field's name).
    "target_id": N_("To"),
    "directed": N_("Directed"),
    # Translators: how strong a tie is (a field's name).
    "strength": N_("Strength"),
    "since": N_("Since"),
    "until": N_("Until"),
    "funder": N_("Funder"),
    # Translators: when an initiative started (a field's name).
    "start": N_("Start"),
    # Translators: when an initiative ended (a field's name).
    "end": N_("End"),
    # Translators: the source a record comes from (a field's name).
    "source": N_("Source"),
    "last_verified": N_("Last verified"),
    "evidence": N_("How it is known"),
    "quote": N_("Quote"),
    "quote_location": N_("Where in the source"),
    "reported_by": N_("Reported by"),
    "reported_on": N_("Reported on"),
    "inferred_from": N_("Inferred from"),
    "services_evidence": N_("How the services are known"),
    "services_quote": N_("Quote about the services"),
    "services_inferred_from": N_("Services inferred from"),
    "lat": N_("Latitude"),
    "lon": N_("Longitude"),
    "title": N_("Title"),
    "title_local": N_("Title in its own language"),
    "publisher": N_("Publisher"),
    "published": N_("Published"),
    "url": N_("Link"),
    "about": N_("About"),
    # Translators: what a source records (a field of a source).
    "covers": N_("What it records"),
    "sectors": N_("Sectors"),
    # Translators: a source claims to list all of what it covers (a field's name).
    "complete": N_("Complete"),
}


def field_label(field: str) -> str:
    """A record's field as a header names it, in the current language (``Last verified``);
    a field not listed as :func:`netmap.tables.header` writes it."""
    return _(FIELD_LABELS[field]) if field in FIELD_LABELS else header(field)


def country_label(code: str | None) -> str:
    """``Serbia (RS)``."""
    return f"{country_name(code)} ({code})" if code else ""


def language_label(code: str) -> str:
    """``Greek (el)``."""
    return f"{language_name(code)} ({code})"


def minutes(seconds: float) -> str:
    """``"4 minutes"``, ``"1 minute"``: a wait in words, rounded up, in the current
    language."""
    count = max(1, int(-(-seconds // 60)))
    return ngettext("%(count)d minute", "%(count)d minutes", count) % {"count": count}


def kind_count(kind: RecordKind, count: int) -> str:
    """``12 institutions``: a number of records of one table, in the current language."""
    values = {"count": format_number(count)}
    if kind is RecordKind.INSTITUTION:
        return ngettext("%(count)s institution", "%(count)s institutions", count) % values
    if kind is RecordKind.CONTACT:
        return ngettext("%(count)s contact", "%(count)s contacts", count) % values
    if kind is RecordKind.TIE:
        return ngettext("%(count)s tie", "%(count)s ties", count) % values
    if kind is RecordKind.INITIATIVE:
        return ngettext("%(count)s initiative", "%(count)s initiatives", count) % values
    if kind is RecordKind.PARTICIPATION:
        return ngettext("%(count)s participation", "%(count)s participations", count) % values
    if kind is RecordKind.CITY:
        return ngettext("%(count)s city", "%(count)s cities", count) % values
    return ngettext("%(count)s source", "%(count)s sources", count) % values


#: What the change log records besides the changes of records (netmap.tables.ACTIONS).
_MORE_ACTIONS = {
    # Translators: in the change log's "What" column: a backup was restored.
    "restore": N_("restored"),
    # Translators: in the change log's "What" column.
    "account": N_("account added or changed"),
    # Translators: in the change log's "What" column.
    "account-removed": N_("account removed"),
}


def action_label(action: str) -> str:
    """What a change-log entry did, in the current language (``added``, ``restored``)."""
    if action in ACTIONS:
        return _(ACTIONS[action])
    return _(_MORE_ACTIONS[action]) if action in _MORE_ACTIONS else action
