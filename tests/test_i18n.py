"""The languages netmap speaks: choosing one, speaking it per context, formatting for it."""

from __future__ import annotations

import contextvars
import subprocess
import sys
import threading
from datetime import date

import pytest

from netmap import i18n
from netmap.i18n import (
    UnknownLanguage,
    choose_language,
    current_language,
    format_date,
    format_list,
    format_number,
    format_percent,
    language,
    negotiate,
    normalize,
)
from netmap.taxonomy import load_taxonomy


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("bg", "bg"),
        ("bg-BG", "bg"),
        ("bg_BG.UTF-8", "bg"),
        ("el_GR.utf8", "el"),
        ("sr", "sr"),
        ("sr-RS", "sr"),
        ("sr-Cyrl-RS", "sr"),
        ("sr-Latn", "sr_Latn"),
        ("sr_Latn", "sr_Latn"),
        ("sr-latn-rs", "sr_Latn"),
        ("sr_RS@latin", "sr_Latn"),
        ("ro-MD", "ro"),
        ("C.UTF-8", "en"),
        ("POSIX", "en"),
        ("de-DE", None),
        ("", None),
    ],
)
def test_a_language_tag_or_locale_name_names_one_of_netmaps_languages(tag, expected):
    assert normalize(tag) == expected


def test_a_browsers_accept_language_is_read_by_its_weights():
    assert negotiate("de-DE,de;q=0.9,bg;q=0.8,en;q=0.7") == "bg"
    assert negotiate("en;q=0.5, el-GR") == "el"
    assert negotiate("fr, de;q=0.5") is None
    assert negotiate("sr-Latn-RS,sr;q=0.9") == "sr_Latn"
    assert negotiate("bg;q=0, ro") == "ro"


def test_the_terminal_follows_the_locale_variables_in_gettexts_order():
    def chosen(**environ):
        return choose_language(environ=environ, use_locale=True)

    assert chosen(LANG="bg_BG.UTF-8") == "bg"
    assert chosen(LANG="bg_BG.UTF-8", LC_MESSAGES="el_GR.UTF-8") == "el"
    assert chosen(LANG="bg_BG.UTF-8", LC_ALL="ro_RO.UTF-8") == "ro"
    assert chosen(LANGUAGE="de:sr@latin", LANG="bg_BG.UTF-8") == "sr_Latn"
    assert chosen(LANG="C.UTF-8") == "en"
    assert chosen(LANG="de_DE.UTF-8") == "en"
    assert chosen() == "en"


def test_netmap_lang_beats_the_locale_and_an_explicit_choice_beats_both():
    environ = {"NETMAP_LANG": "el", "LANG": "bg_BG.UTF-8"}
    assert choose_language(environ=environ, use_locale=True) == "el"
    assert choose_language("ro", environ=environ) == "ro"
    assert choose_language(environ={"NETMAP_LANG": "klingon"}, accept="bg") == "bg"
    with pytest.raises(UnknownLanguage, match="one of: en, el, bg, sr, sr_Latn, ro"):
        choose_language("de", environ=environ)


def test_a_shared_server_sets_its_default_with_netmap_lang(monkeypatch):
    monkeypatch.setenv("NETMAP_LANG", "bg-BG")
    assert current_language() == "bg"
    with language("el"):
        assert current_language() == "el"
    assert current_language() == "bg"


def test_each_thread_speaks_its_own_language_like_each_streamlit_session():
    heard = {}
    ready = threading.Barrier(2)

    def session(name: str) -> None:
        with language(name):
            ready.wait()  # both sessions have chosen before either speaks
            heard[name] = (current_language(), load_taxonomy().label("stages", "referral"))

    threads = [threading.Thread(target=session, args=(n,)) for n in ("bg", "el")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert heard["bg"][0] == "bg" and heard["el"][0] == "el"
    assert heard == {"bg": ("bg", "Насочване"), "el": ("el", "Παραπομπή")}
    assert current_language() == "en"


def test_a_context_copied_before_the_choice_keeps_the_default():
    before = contextvars.copy_context()
    with language("ro"):
        assert before.run(current_language) == "en"


def test_dates_numbers_and_lists_are_written_as_each_language_writes_them():
    day = date(2024, 3, 12)
    assert format_date(day, language="en") == "12 Mar 2024"
    assert format_date(day, language="bg") == "12.03.2024\u202fг."
    assert format_date(day, language="el") == "12 Μαρ 2024"
    assert format_date(day, language="sr") == format_date(day, language="sr_Latn")
    assert format_date(day, format="long", language="sr") == "12. март 2024."
    assert format_date(day, format="long", language="sr_Latn") == "12. mart 2024."
    assert format_number(1234.5, "bg") == "1\xa0234,5"
    assert format_number(1234.5, "el") == "1.234,5"
    assert format_number(0.1234, "ro", decimals=3) == "0,123"
    assert format_percent(0.25, "en") == "25%"
    with language("bg"):
        assert format_list(["a", "b", "c"], "or") == "a, b или c"
        assert format_date(day) == "12.03.2024\u202fг."
    assert format_list(["a", "b", "c"]) == "a, b and c"
    assert format_list(["a", "b", "c"], "or") == "a, b or c"
    assert format_list(["a"]) == "a"


def test_each_language_names_itself_for_a_picker():
    assert i18n.language_name("bg") == "български"
    assert i18n.language_name("sr_Latn") == "srpski (latinica)"
    assert i18n.language_name("el") == "Ελληνικά"


def test_importing_netmap_and_its_translations_loads_no_babel_until_asked():
    script = (
        "import sys, netmap, netmap.i18n, netmap.taxonomy\n"
        "from netmap.i18n import language, gettext\n"
        "heavy = [m for m in ('babel', 'pandas', 'networkx', 'streamlit') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "with language('bg'):\n"
        "    gettext('Their sources:')\n"
        "    netmap.taxonomy.load_taxonomy().label('sectors', 'police')\n"
        "assert 'pandas' not in sys.modules and 'networkx' not in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr


def test_netmap_help_in_bulgarian_loads_no_babel_pandas_networkx_or_streamlit():
    script = (
        "import sys, runpy\n"
        "sys.argv = ['netmap', '--lang', 'bg', '--help']\n"
        "try:\n    runpy.run_module('netmap', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = [m for m in ('babel', 'pandas', 'networkx', 'streamlit') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "--lang" in done.stdout


def test_a_lazy_text_is_translated_when_shown_not_when_made():
    title = i18n.lazy_gettext("Their sources:")
    with language("ro"):
        assert str(title) == "Sursele lor:"
        assert f"{title:>14}" == "  Sursele lor:"
    assert str(title) == "Their sources:"
    assert title + " x" == "Their sources: x"
    counted = i18n.LazyText("%(count)d hop", "%(count)d hops", 3)
    with language("bg"):
        assert counted % {"count": 3} == "3 стъпки"
