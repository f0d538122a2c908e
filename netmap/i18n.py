"""The languages netmap speaks, and the one it speaks now.

Every sentence a person reads goes through :func:`gettext` (imported as ``_``) or
:func:`ngettext`: the English text is the message id, and the catalog of the current
language gives its translation. Catalogs are gettext ``.po`` files kept in the repository
at ``netmap/locale/<lang>/LC_MESSAGES/netmap.po`` and managed with Babel (``pybabel
extract``, ``update``, ``compile``; docs/developers.md, "Translations").

Where the compiled catalogs come from:

- a built wheel carries ``netmap.mo`` beside where the ``.po`` would be (the build hook in
  ``hatch_build.py`` compiles them; the wheel holds no ``.po``);
- a source checkout or an editable install has only the ``.po`` (compiled files are not
  committed): the first use of a language compiles its ``.po`` with Babel into netmap's
  cache folder, named after the ``.po``'s content, so an edited catalog is compiled again
  and a stale one is never read. Where the cache cannot be written it is compiled in
  memory. A ``.mo`` that ``pybabel compile`` left beside an older ``.po`` is not trusted.

The current language is a context variable: a command sets it for its run, a Streamlit
server for each session's run, and each thread or task starts from the default
(``NETMAP_LANG``, else English). Babel is imported only when a catalog must be compiled or
a date, number or list is formatted: ``import netmap`` stays light.
"""

from __future__ import annotations

import contextlib
import functools
import gettext as _gettext
import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar, Token
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from netmap.errors import NetmapError

if TYPE_CHECKING:
    from datetime import date, datetime

    from babel import Locale

#: The interface languages, English first: Greek, Bulgarian, Serbian in Cyrillic and in
#: Latin script, Romanian. Each names a folder of ``netmap/locale``.
LANGUAGES = ("en", "el", "bg", "sr", "sr_Latn", "ro")
#: The language of the message ids, and of everything when nothing else is chosen.
SOURCE_LANGUAGE = "en"
DOMAIN = "netmap"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_current: ContextVar[str | None] = ContextVar("netmap_language", default=None)


class UnknownLanguage(NetmapError, ValueError):
    """A language netmap has no catalog for."""


# --- which language -----------------------------------------------------------------------


def normalize(tag: str | None) -> str | None:
    """Return the supported language a language tag or locale name means, or None.

    Reads BCP 47 tags (``sr-Latn-RS``, ``el-GR``), POSIX locale names (``bg_BG.UTF-8``,
    ``sr_RS@latin``) and netmap's own names (``sr_Latn``). Serbian without a script is
    Cyrillic, the official script. ``C`` and ``POSIX`` mean English.
    """
    if not tag:
        return None
    tag = tag.strip()
    if tag in ("C", "POSIX") or tag.startswith(("C.", "POSIX.")):
        return SOURCE_LANGUAGE
    base, _, modifier = tag.partition("@")
    base = base.split(".", 1)[0]
    parts = [p for p in re.split(r"[-_]", base) if p]
    if not parts:
        return None
    language = parts[0].lower()
    scripts = {p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()}
    if modifier.lower() == "latin":
        scripts.add("Latn")
    if language == "sr":
        return "sr_Latn" if "Latn" in scripts else "sr"
    return language if language in LANGUAGES else None


def negotiate(preferences: str | Iterable[str] | None) -> str | None:
    """Return the first supported language of ``preferences``, or None.

    ``preferences`` is an HTTP ``Accept-Language`` value (``"bg-BG,bg;q=0.9,en;q=0.8"``,
    read in order of its q-values), a colon-separated list as in ``LANGUAGE``, or an
    iterable of tags, best first.
    """
    if not preferences:
        return None
    if isinstance(preferences, str):
        ranked = []
        for position, item in enumerate(re.split(r"[,:]", preferences)):
            tag, *params = (part.strip() for part in item.split(";"))
            weight = 1.0
            for param in params:
                name, _, value = param.partition("=")
                if name.strip() == "q":
                    try:
                        weight = float(value)
                    except ValueError:
                        weight = 0.0
            if tag and weight > 0:
                ranked.append((-weight, position, tag))
        preferences = [tag for _, _, tag in sorted(ranked)]
    for tag in preferences:
        found = normalize(tag)
        if found:
            return found
    return None


def from_locale_environment(environ: Mapping[str, str] | None = None) -> str | None:
    """Return the language the POSIX locale variables ask for, or None.

    As gettext reads them: the first of ``LANGUAGE`` (a colon-separated list), ``LC_ALL``,
    ``LC_MESSAGES`` and ``LANG`` that is set decides.
    """
    environ = os.environ if environ is None else environ
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable)
        if value:
            return negotiate(value.split(":"))
    return None


def default_language(environ: Mapping[str, str] | None = None) -> str:
    """The language when none is chosen: ``NETMAP_LANG`` (a shared server's default),
    else English. An unsupported ``NETMAP_LANG`` is ignored."""
    environ = os.environ if environ is None else environ
    return normalize(environ.get("NETMAP_LANG")) or SOURCE_LANGUAGE


def choose_language(
    explicit: str | None = None,
    *,
    accept: str | Iterable[str] | None = None,
    environ: Mapping[str, str] | None = None,
    use_locale: bool = False,
) -> str:
    """Return the language to speak, from the strongest wish to the weakest.

    ``explicit`` (``--lang``, a picker) must be supported (else :class:`UnknownLanguage`);
    then ``NETMAP_LANG``; then ``accept`` (a browser's ``Accept-Language``); then, when
    ``use_locale`` (a terminal command), the POSIX locale variables; then English.
    """
    environ = os.environ if environ is None else environ
    if explicit:
        return check_language(explicit)
    return (
        normalize(environ.get("NETMAP_LANG"))
        or negotiate(accept)
        or (from_locale_environment(environ) if use_locale else None)
        or SOURCE_LANGUAGE
    )


def check_language(language: str) -> str:
    """Return ``language`` as netmap names it (``sr-Latn`` -> ``sr_Latn``), or raise
    :class:`UnknownLanguage` naming the supported ones."""
    found = normalize(language)
    if found is None:
        raise UnknownLanguage(f"unknown language {language!r} (one of: {', '.join(LANGUAGES)})")
    return found


def chosen_language() -> str | None:
    """The language chosen in this context (a command's --lang, a session's picker), or
    None when nothing has chosen one and :func:`current_language` is the default."""
    return _current.get()


def current_language() -> str:
    """The language of the current command, session or task."""
    return _current.get() or default_language()


def set_language(language: str) -> Token[str | None]:
    """Make ``language`` current in this context; return the token that
    :func:`reset_language` takes to undo it."""
    return _current.set(check_language(language))


def reset_language(token: Token[str | None]) -> None:
    """Undo the :func:`set_language` that returned ``token``."""
    _current.reset(token)


@contextlib.contextmanager
def language(name: str) -> Iterator[str]:
    """Speak ``name`` inside the ``with`` block: ``with language("bg"): ...``."""
    token = set_language(name)
    try:
        yield current_language()
    finally:
        _current.reset(token)


# --- the catalogs -------------------------------------------------------------------------


def catalog_path(language: str) -> Path:
    """Where the ``.po`` catalog of ``language`` lives in a source tree."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("netmap", appauthor=False)) / "locale"


def compile_catalog(po: bytes, language: str) -> bytes:
    """Return the ``.mo`` bytes of the ``.po`` text ``po`` (fuzzy entries left out, as
    gettext would)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po), locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    return compiled.getvalue()


def _compiled(language: str) -> bytes | None:
    """The compiled catalog of ``language``: the wheel's ``.mo``, else the ``.po``
    compiled (once per content, in the cache folder)."""
    po_path = catalog_path(language)
    mo_path = po_path.with_suffix(".mo")
    if not po_path.exists():
        return mo_path.read_bytes() if mo_path.exists() else None
    po = po_path.read_bytes()
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        return mo_path.read_bytes()
    import hashlib

    digest = hashlib.sha256(po).hexdigest()[:20]
    cached = _cache_dir() / f"{language}-{digest}.mo"
    with contextlib.suppress(OSError):
        return cached.read_bytes()
    compiled = compile_catalog(po, language)
    with contextlib.suppress(OSError):  # a read-only home: compiled in memory each time
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        partial.write_bytes(compiled)
        partial.replace(cached)
    return compiled


@functools.cache
def translations(language: str) -> _gettext.NullTranslations:
    """The translations of ``language`` (English and a missing catalog: the message ids)."""
    language = check_language(language)
    if language == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    compiled = _compiled(language)
    if compiled is None:
        return _gettext.NullTranslations()
    return _gettext.GNUTranslations(io.BytesIO(compiled))


def gettext(message: str) -> str:
    """Return ``message`` in the current language (``message`` itself where the catalog
    has no translation). Imported as ``_`` where messages are written."""
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Return the form of a message for the number ``n`` in the current language
    (Serbian and Romanian have three forms; the catalog knows which is which)."""
    return translations(current_language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Like :func:`gettext`, for a message whose translation depends on ``context`` (the
    same English word used in two senses)."""
    return translations(current_language()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs without translating it now: for a text kept in a
    constant and translated with ``_()`` where it is shown."""
    return message


class LazyText:
    """A message translated each time it is turned into text, in the language current
    then: for a text defined before anyone has chosen a language (a module constant)."""

    __slots__ = ("message", "n", "plural")

    def __init__(self, message: str, plural: str | None = None, n: int = 1):
        self.message, self.plural, self.n = message, plural, n

    def __str__(self) -> str:
        if self.plural is None:
            return gettext(self.message)
        return ngettext(self.message, self.plural, self.n)

    def __repr__(self) -> str:
        return f"LazyText({self.message!r})"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __mod__(self, values: Any) -> str:
        formatted: str = str(self) % values
        return formatted

    def __add__(self, other: Any) -> str:
        return str(self) + str(other)

    def __radd__(self, other: Any) -> str:
        return str(other) + str(self)


def lazy_gettext(message: str) -> LazyText:
    """Return ``message`` as a :class:`LazyText`: translated when shown, not when made."""
    return LazyText(message)


# --- dates, numbers and lists in the current language -------------------------------------


def babel_locale(language: str | None = None) -> Locale:
    """The Babel locale of ``language`` (default: the current one)."""
    return _parsed_locale(check_language(language or current_language()))


@functools.cache
def _parsed_locale(language: str) -> Locale:
    from babel import Locale

    # netmap's English is British ("organisation", "a, b and c", "12 Mar 2024")
    return Locale.parse("en_GB" if language == SOURCE_LANGUAGE else language)


_locale = babel_locale


def format_date(value: date | datetime, format: str = "medium", language: str | None = None) -> str:
    """``value`` as a date written in the language (``"medium"``: ``12.03.2024 г.`` in
    Bulgarian, ``12 Μαρ 2024`` in Greek); ``format`` is Babel's (short, medium, long,
    full or a pattern)."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format=format, locale=_locale(language))


def format_number(value: float, language: str | None = None, *, decimals: int | None = None) -> str:
    """``value`` with the language's digit grouping and decimal sign (``1 234,5`` in
    Bulgarian, ``1.234,5`` in Greek); ``decimals`` fixes the digits after the sign."""
    from babel.numbers import format_decimal

    pattern = None
    if decimals is not None:
        pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(value, format=pattern, locale=_locale(language))


def format_percent(value: float, language: str | None = None) -> str:
    """The share ``value`` (0.25) as a percentage in the language (``25 %`` in Bulgarian)."""
    from babel.numbers import format_percent as babel_format_percent

    return babel_format_percent(value, locale=_locale(language))


ListStyle = Literal[
    "standard", "standard-short", "or", "or-short", "unit", "unit-short", "unit-narrow"
]


def format_list(
    items: Iterable[str], style: ListStyle = "standard", language: str | None = None
) -> str:
    """``items`` joined as the language joins a list: ``"a, b and c"``; ``style="or"``
    for alternatives (``"a, b или c"`` in Bulgarian)."""
    from babel.lists import format_list as babel_format_list

    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return babel_format_list(items, style=style, locale=_locale(language))


def language_name(language: str) -> str:
    """The name of the interface language ``language`` in itself (``"български"``,
    ``"srpski (latinica)"``), for a language picker."""
    locale = babel_locale(language)
    return locale.get_display_name(locale) or language


# --- keeping the catalogs ---------------------------------------------------------------


def derive_serbian_latin() -> Path:
    """Write the Serbian Latin catalog as the Serbian Cyrillic one transliterated letter for
    letter (:func:`netmap.transliteration.serbian_latin`), so the two scripts never drift apart.
    Returns the path written. Run after editing ``sr``: ``python -m netmap.i18n``."""
    from babel.messages.pofile import read_po, write_po

    from netmap.transliteration import serbian_latin

    with catalog_path("sr").open("rb") as handle:
        catalog = read_po(handle, locale="sr", domain=DOMAIN)
    catalog.locale = "sr_Latn"
    catalog.language_team = "Serbian (Latin script), from sr"
    catalog.header_comment = (
        "# Serbian (Latin script) translations for netmap, transliterated from the Cyrillic\n"
        "# catalog (sr/LC_MESSAGES/netmap.po) by `python -m netmap.i18n`: edit that one, then\n"
        "# run the command; a test fails when this file and the Cyrillic one disagree."
    )
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.string, (list, tuple)):
            message.string = tuple(serbian_latin(form) for form in message.string)
        elif message.string:
            message.string = serbian_latin(message.string)
    target = catalog_path("sr_Latn")
    with target.open("wb") as handle:
        write_po(handle, catalog, width=100)
    return target


def extract_cli(
    fileobj: Any, keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[Any, ...]]:
    """Babel's extraction method for ``netmap/cli`` (``babel.cfg``): the marked messages, as
    Babel's Python extractor finds them, and each command's docstring, which Typer shows as
    its ``--help`` (translated while the help is drawn: :mod:`netmap.cli.base`)."""
    import ast

    from babel.messages.extract import extract_python

    source = fileobj.read()
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef):
            continue
        commands = [
            d
            for d in node.decorator_list
            if isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute)
            and d.func.attr == "command"
        ]  # fmt: skip
        help_text = ast.get_docstring(node, clean=True)
        if commands and help_text:
            yield node.body[0].lineno, None, help_text, []


_ = gettext

__all__ = [
    "LANGUAGES",
    "N_",
    "SOURCE_LANGUAGE",
    "LazyText",
    "UnknownLanguage",
    "babel_locale",
    "check_language",
    "choose_language",
    "chosen_language",
    "current_language",
    "default_language",
    "derive_serbian_latin",
    "format_date",
    "format_list",
    "format_number",
    "format_percent",
    "from_locale_environment",
    "gettext",
    "language",
    "language_name",
    "lazy_gettext",
    "negotiate",
    "ngettext",
    "normalize",
    "pgettext",
    "reset_language",
    "set_language",
    "translations",
]


if __name__ == "__main__":
    print(f"wrote {derive_serbian_latin()}")
