"""Country and language codes and their names in the reader's language.

Records hold ISO 3166-1 alpha-2 country codes and ISO 639-1 language codes; everything a
person reads names them with :func:`country_name` and :func:`language_name`, one answer
everywhere: in English from ISO's own names (pycountry), in the other interface languages
from the Unicode CLDR (Babel), in the current language unless another is asked for.
"""

from __future__ import annotations

import functools

import pycountry

from netmap.i18n import SOURCE_LANGUAGE, babel_locale, current_language

#: Codes in use for places that ISO 3166-1 has not (yet) assigned, and their names.
EXTRA_COUNTRIES = {"XK": "Kosovo"}


def country_name(code: str | None, language: str | None = None) -> str:
    """Return the common name of a country code in ``language`` (default: the current
    one): ``"MD"`` -> ``"Moldova"``, ``"Молдова"`` in Bulgarian; the code itself when
    unknown, ``""`` for none."""
    return _country_name(code, language or current_language())


@functools.cache
def _country_name(code: str | None, language: str) -> str:
    if not code:
        return ""
    if language != SOURCE_LANGUAGE:
        found = babel_locale(language).territories.get(code.upper())
        if found:
            return str(found)
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


def language_name(code: str, language: str | None = None) -> str:
    """Return the name of an ISO 639-1 language ``code`` in ``language`` (default: the
    current one); the code if unknown."""
    return _language_name(code, language or current_language())


@functools.cache  # each pycountry lookup takes tens of µs; many records repeat a few
def _language_name(code: str, language: str) -> str:
    if language != SOURCE_LANGUAGE:
        found = babel_locale(language).languages.get(code.lower())
        if found:
            return str(found)
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
