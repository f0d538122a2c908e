"""Words on the page: user text made safe for Streamlit's Markdown, countries, waits."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from netmap.codes import country_name, language_name

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


def shown_as(labels: Mapping[Any, str]) -> Callable[[Any], str]:
    """A widget's ``format_func`` that shows each option by its label (an option without
    one as itself)."""
    return lambda option: labels.get(option, str(option))


def country_label(code: str | None) -> str:
    """``Serbia (RS)``."""
    return f"{country_name(code)} ({code})" if code else ""


def language_label(code: str) -> str:
    """``Greek (el)``."""
    return f"{language_name(code)} ({code})"


def minutes(seconds: float) -> str:
    """``"4 minutes"``, ``"1 minute"``: a wait in words, rounded up."""
    count = max(1, int(-(-seconds // 60)))
    return f"{count} minute{'s' * (count != 1)}"
