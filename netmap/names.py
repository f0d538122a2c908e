"""Names in the reader's language and script.

An institution has an English ``name`` and, often, a ``name_local`` in its country's
language and script. A reader sees first the name written in their own language where one
is stored: a Bulgarian reader «Държавна агенция за закрила на детето», an English reader
"State Agency for Child Protection". A reader of Serbian in Latin script sees a Serbian
Cyrillic name transliterated (:func:`serbian_latin`), as Serbian is written in both.
"""

from __future__ import annotations

import functools
import re

from netmap.i18n import current_language
from netmap.transliteration import serbian_latin

_CYRILLIC = re.compile("[\u0400-\u04ff]")
_GREEK = re.compile("[\u0370-\u03ff\u1f00-\u1fff]")
# Letters only Serbian (and Macedonian) Cyrillic has, and letters only Bulgarian has.
_ONLY_SERBIAN = re.compile("[ђјљњћџЂЈЉЊЋЏ]")
_ONLY_BULGARIAN = re.compile("[ъщьюяйЪЩЬЮЯЙ]")


def script_language(text: str | None) -> str | None:
    """Guess the language of a name from its script: ``el`` for Greek; ``sr`` or ``bg``
    for Cyrillic with a letter only that alphabet has; None otherwise (Latin, or Cyrillic
    that either could be)."""
    if not text:
        return None
    if _GREEK.search(text):
        return "el"
    if _CYRILLIC.search(text):
        if _ONLY_SERBIAN.search(text):
            return "sr"
        if _ONLY_BULGARIAN.search(text):
            return "bg"
    return None


@functools.cache
def _official_languages(country: str) -> tuple[str, ...]:
    from babel.languages import get_official_languages

    # CLDR names scripts too (``sr_Latn``): the language is what counts here.
    return tuple(
        dict.fromkeys(
            code.split("_", 1)[0] for code in get_official_languages(country.upper(), de_facto=True)
        )
    )


def display_names(
    name: str | None,
    name_local: str | None,
    *,
    country: str | None = None,
    language: str | None = None,
) -> tuple[str, str | None]:
    """Return an institution's name to show first to a reader of ``language`` (default:
    the current one), and its other name (None when it has one name only).

    ``name_local`` comes first when it is in the reader's language: the language of its
    ``country`` (its official languages, per the Unicode CLDR), or, without a country,
    the one its script tells (:func:`script_language`). A ``sr_Latn`` reader sees a Serbian
    name in Cyrillic transliterated to Latin. Otherwise ``name`` (English) comes first;
    a record without ``name`` shows ``name_local``.
    """
    language = language or current_language()
    base = language.split("_", 1)[0]
    name, name_local = (name or "").strip(), (name_local or "").strip()
    if name_local and name_local != name and base != "en":
        spoken = _official_languages(country) if country else ()
        guessed = script_language(name_local)
        if guessed == base or (base in spoken and guessed in (None, base)):
            local = serbian_latin(name_local) if language == "sr_Latn" else name_local
            return local, name or None
    if not name:
        local = serbian_latin(name_local) if language == "sr_Latn" else name_local
        return local, None
    return name, (name_local or None) if name_local != name else None


def display_name(
    name: str | None,
    name_local: str | None,
    *,
    country: str | None = None,
    language: str | None = None,
) -> str:
    """The name of :func:`display_names` to show first."""
    return display_names(name, name_local, country=country, language=language)[0]
