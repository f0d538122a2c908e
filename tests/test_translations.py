"""The translation catalogs: complete, consistent with the code, and compiled where read."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from netmap import i18n
from netmap.i18n import LANGUAGES, SOURCE_LANGUAGE, catalog_path, language
from netmap.transliteration import serbian_latin

ROOT = Path(__file__).resolve().parents[1]
TRANSLATED = [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE]
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None}


def _catalog(lang: str):
    with catalog_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang, domain="netmap")


def _marked_in_the_code() -> set:
    """Every message the code marks for translation, read as `pybabel extract` reads it."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, comment_tags=("Translators:",)
    )
    return {message for _file, _line, message, _comments, _context in found}


def test_the_template_holds_every_message_the_code_marks():
    with (ROOT / "netmap" / "locale" / "netmap.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    marked = _marked_in_the_code()
    assert marked - template == set(), "run pybabel extract (docs/developers.md)"
    assert template - marked == set(), "the template names messages the code no longer has"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_catalog_translates_every_message_with_the_same_placeholders(lang):
    catalog = _catalog(lang)
    marked = _marked_in_the_code()
    ids = {m.id for m in catalog if m.id}
    assert marked - ids == set(), f"{lang}: run pybabel update (docs/developers.md)"
    assert catalog.num_plurals == get_plural(lang).num_plurals
    problems = []
    for message in catalog:
        if not message.id:
            continue
        forms = message.string if isinstance(message.id, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(("fuzzy", message.id))
        if not all(forms) or len(forms) != (catalog.num_plurals if message.pluralizable else 1):
            problems.append(("untranslated", message.id))
        for form in forms:
            # rich markup and the quoted placeholders of the English text stay as they are
            if re.findall(r"\[/?bold\]", str(message.id)) != re.findall(r"\[/?bold\]", form):
                problems.append(("markup", message.id))
            english = message.id[-1] if isinstance(message.id, tuple) else message.id
            if set(re.findall(r"%\(\w+\)[sdr]", form)) - set(
                re.findall(
                    r"%\(\w+\)[sdr]", " ".join(message.id) if message.pluralizable else english
                )
            ):
                problems.append(("placeholder", message.id, form))
    # Babel's own checks: python-format placeholders and plural forms
    problems += [(str(errors), message.id) for message, errors in catalog.check()]
    assert problems == []


def test_every_placeholder_of_a_message_is_kept_by_each_translation():
    """A translation that drops a value (a name, a count) would say less than English."""
    dropped = []
    for lang in TRANSLATED:
        for message in _catalog(lang):
            if not message.id:
                continue
            if message.pluralizable:
                english = set(re.findall(r"%\(\w+\)[sdr]", message.id[1]))
                forms = message.string
            else:
                english = set(re.findall(r"%\(\w+\)[sdr]", message.id))
                forms = (message.string,)
            for form in forms:
                missing = english - set(re.findall(r"%\(\w+\)[sdr]", form))
                if missing:
                    dropped.append((lang, message.id, sorted(missing)))
    assert dropped == []


def test_the_serbian_latin_catalog_is_the_cyrillic_one_transliterated():
    cyrillic = {m.id: m.string for m in _catalog("sr") if m.id}
    latin = {m.id: m.string for m in _catalog("sr_Latn") if m.id}
    assert latin.keys() == cyrillic.keys()
    for key, text in cyrillic.items():
        expected = (
            tuple(serbian_latin(form) for form in text)
            if isinstance(text, (list, tuple))
            else serbian_latin(text)
        )
        found = tuple(latin[key]) if isinstance(latin[key], (list, tuple)) else latin[key]
        assert found == expected, key
    assert not any(re.search("[\u0400-\u04ff]", str(text)) for text in latin.values())


def test_plural_forms_follow_each_language(monkeypatch):
    with language("sr"):
        assert i18n.ngettext("%(count)d hop", "%(count)d hops", 1) == "%(count)d корак"
        assert i18n.ngettext("%(count)d hop", "%(count)d hops", 3) == "%(count)d корака"
        assert i18n.ngettext(
            "%(count)d error: nothing was written.", "%(count)d errors: nothing was written.", 5
        ).startswith("%(count)d грешака")
    with language("ro"):
        assert "de erori" in i18n.ngettext(
            "%(count)d error: nothing was written.", "%(count)d errors: nothing was written.", 20
        )
        assert "de erori" not in i18n.ngettext(
            "%(count)d error: nothing was written.", "%(count)d errors: nothing was written.", 3
        )


def _isolated_locale(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the catalogs in ``tmp_path`` (as a fresh checkout has them: no .mo), read
    from there with an empty cache."""
    locale = tmp_path / "locale"
    for lang in TRANSLATED:
        target = locale / lang / "LC_MESSAGES"
        target.mkdir(parents=True)
        (target / "netmap.po").write_bytes(catalog_path(lang).read_bytes())
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    i18n.translations.cache_clear()
    return locale


def test_a_fresh_checkout_compiles_a_catalog_on_first_use_into_the_cache(tmp_path, monkeypatch):
    _isolated_locale(tmp_path, monkeypatch)
    try:
        with language("bg"):
            assert i18n.gettext("Their sources:") == "Техните източници:"
        compiled = list((tmp_path / "cache").rglob("bg-*.mo"))
        assert len(compiled) == 1
        i18n.translations.cache_clear()
        compiled[0].write_bytes(i18n.compile_catalog(b'msgid ""\nmsgstr ""\n', "bg"))
        with language("bg"):  # the cache is read, not the .po, while the .po is unchanged
            assert i18n.gettext("Their sources:") == "Their sources:"
    finally:
        i18n.translations.cache_clear()


def test_an_edited_catalog_is_compiled_again_and_a_stale_mo_is_not_read(tmp_path, monkeypatch):
    locale = _isolated_locale(tmp_path, monkeypatch)
    try:
        po = locale / "el" / "LC_MESSAGES" / "netmap.po"
        stale = po.with_suffix(".mo")
        stale.write_bytes(i18n.compile_catalog(b'msgid ""\nmsgstr ""\n', "el"))
        text = po.read_text(encoding="utf-8").replace('"Οι πηγές τους:"', '"Πηγές:"')
        po.write_text(text, encoding="utf-8")  # newer than the .mo beside it
        with language("el"):
            assert i18n.gettext("Their sources:") == "Πηγές:"
    finally:
        i18n.translations.cache_clear()


def test_the_wheel_carries_compiled_catalogs_and_no_sources(tmp_path):
    pytest.importorskip("hatchling", reason="the [test] extra installs hatchling")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("netmap-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        for lang in TRANSLATED:
            assert f"netmap/locale/{lang}/LC_MESSAGES/netmap.mo" in names
        assert not [n for n in names if n.endswith((".po", ".pot"))]
        mo = archive.read("netmap/locale/bg/LC_MESSAGES/netmap.mo")
    import gettext

    translations = gettext.GNUTranslations(io.BytesIO(mo))
    assert translations.gettext("Their sources:") == "Техните източници:"
