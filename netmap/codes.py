"""Country and language codes and their names in English.

Records hold ISO 3166-1 alpha-2 country codes and ISO 639-1 language codes; everything a
person reads names them with :func:`country_name` and :func:`language_name`, one answer
everywhere.
"""

from __future__ import annotations

import functools

import pycountry

#: Codes in use for places that ISO 3166-1 has not (yet) assigned, and their names.
EXTRA_COUNTRIES = {"XK": "Kosovo"}


@functools.cache
def country_name(code: str | None) -> str:
    """Return the common English name of a country code (``"MD"`` -> ``"Moldova"``); the
    code itself when unknown, ``""`` for none."""
    if not code:
        return ""
    if code in EXTRA_COUNTRIES:
        return EXTRA_COUNTRIES[code]
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return code
    return getattr(found, "common_name", None) or found.name


def countries() -> dict[str, str]:
    """Every country code with its name, ordered by name (for choosing one)."""
    codes = {c.alpha_2: country_name(c.alpha_2) for c in pycountry.countries}
    codes.update(EXTRA_COUNTRIES)
    return dict(sorted(codes.items(), key=lambda item: item[1]))


@functools.cache  # each pycountry lookup takes tens of µs; many records repeat a few
def language_name(code: str) -> str:
    """Return the English name of an ISO 639-1 language ``code`` (the code if unknown)."""
    found = pycountry.languages.get(alpha_2=code)
    if found is None:
        return code
    name: str = found.name
    return name.split(" (")[0].removeprefix("Modern ")


def languages() -> dict[str, str]:
    """Every ISO 639-1 language code with its name, ordered by name."""
    found = {
        lang.alpha_2: language_name(lang.alpha_2)
        for lang in pycountry.languages
        if hasattr(lang, "alpha_2")
    }
    return dict(sorted(found.items(), key=lambda item: item[1]))
