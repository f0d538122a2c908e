"""Messages for a name that matches nothing: what was asked, the closest matches, and what
exists ("did you mean …?"), one way everywhere."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import process as fuzzy

from netmap.errors import NotFound
from netmap.i18n import N_, format_list, gettext

# What is not found, said whole in each language (a noun alone would not agree with the
# rest of a sentence in Greek or Serbian).
_UNKNOWN = {
    "institution": N_("unknown institution %(value)s"),
    "city": N_("unknown city %(value)s"),
    "country": N_("unknown country %(value)s"),
    "sector": N_("unknown sector %(value)s"),
    "service": N_("unknown service %(value)s"),
    "tie kind": N_("unknown tie kind %(value)s"),
    "language": N_("unknown language %(value)s"),
}
_LISTINGS = {"in the network": N_("in the network"), "one of": N_("one of")}


def closest(value: str, options: Iterable[str], *, limit: int = 3, cutoff: int = 60) -> list[str]:
    """The options most like ``value`` (at most ``limit``, best first), ``value`` excluded."""
    return [
        match
        for match, _, _ in fuzzy.extract(
            value, sorted(set(options)), limit=limit, score_cutoff=cutoff
        )
        if match != value
    ]


def not_found(
    what: str,
    value: str,
    existing: Iterable[str],
    *,
    where: str = "",
    also_known_as: Iterable[str] = (),
    listing: str = "in the network",
    show: int = 25,
) -> NotFound:
    """Return a :class:`NotFound` error naming ``value``, the closest matches and what exists.

    ``what`` is the kind of thing in the singular (``"institution"``, ``"country"``) and
    ``where`` an optional place (``"in BG"``); the message is one line, e.g.
    ``unknown city 'Plovdv' in BG; did you mean 'Plovdiv'? (in the network: …)``.
    Suggestions come from ``existing`` and ``also_known_as`` (other spellings); at most
    ``show`` of ``existing`` are listed after ``listing``, with the total when there are more.
    """
    options = sorted(set(existing))
    unknown = _UNKNOWN.get(what)
    message = (
        gettext(unknown) % {"value": repr(value)}
        if unknown
        else gettext("unknown %(what)s %(value)s") % {"what": what, "value": repr(value)}
    ) + (f" {where}" if where else "")
    close = [repr(match) for match in closest(value, {*options, *also_known_as})]
    if close:
        message += gettext("; did you mean %(options)s?") % {"options": format_list(close, "or")}
    if not options:
        return NotFound(message + " " + gettext("(the network has none)"))
    listed = ", ".join(options[:show])
    more = gettext(", … %(count)d in all") % {"count": len(options)} if len(options) > show else ""
    said = gettext(_LISTINGS[listing]) if listing in _LISTINGS else listing
    return NotFound(f"{message} ({said}: {listed}{more})")
