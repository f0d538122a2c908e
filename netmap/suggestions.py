"""Messages for a name that matches nothing: what was asked, the closest matches, and what
exists ("did you mean …?"), one way everywhere."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import process as fuzzy

from netmap.errors import NotFound


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
    message = f"unknown {what} {value!r}" + (f" {where}" if where else "")
    close = [repr(match) for match in closest(value, {*options, *also_known_as})]
    if close:
        message += "; did you mean " + (
            f"{', '.join(close[:-1])} or {close[-1]}" if len(close) > 1 else close[0]
        )
        message += "?"
    if not options:
        return NotFound(f"{message} (the network has none)")
    listed = ", ".join(options[:show])
    more = f", … {len(options)} in all" if len(options) > show else ""
    return NotFound(f"{message} ({listing}: {listed}{more})")
