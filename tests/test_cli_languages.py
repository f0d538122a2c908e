"""The netmap command in its users' languages: --lang, the locale, and --json unchanged."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from netmap.cli import app
from netmap.i18n import LANGUAGES, current_language
from netmap.io import import_into
from netmap.resources import data_file
from netmap.store import SQLiteStore

CYRILLIC = re.compile("[\u0400-\u04ff]")


@pytest.fixture(scope="module")
def store_url(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "d.db"
    import_into(SQLiteStore(path), data_file("demo"))
    return f"sqlite:///{path}"


@pytest.fixture
def netmap(store_url, monkeypatch):
    """Run ``netmap --store <demo> ARGS…`` with ``environ`` added; return the result."""
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()

    def run(*args: str, **environ: str):
        return runner.invoke(app, ["--store", store_url, *args], env=environ)

    return run


def test_a_serbian_reader_gets_the_gaps_of_nis_explained_in_serbian_cyrillic(store_url):
    """Through the real entry point, as a social worker in Niš runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "netmap", "--store", store_url, "--lang", "sr",
         "gaps", "--city", "Niš"],
        capture_output=True, text=True, encoding="utf-8", check=True,
        env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    out = done.stdout
    assert out.startswith("Недостаци: Niš, RS")
    assert "није евидентирано ко преузима случај из фазе „идентификација“" in out
    # the institution by its Serbian name, as stored (name_local), not the English one
    assert "Ако Centar za socijalni rad u Nišu престане да сарађује" in out
    explanations = [line for line in out.splitlines() if line.startswith("  - ")]
    assert explanations and all(CYRILLIC.search(line) for line in explanations)
    for english in ("no recorded", "is recorded", "Not recorded", "stops cooperating", "Gaps in"):
        assert english not in out


def test_a_serbian_latin_reader_gets_the_same_in_latin_script(netmap):
    result = netmap("--lang", "sr-Latn", "gaps", "--city", "Ниш")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Nedostaci: Niš, RS")
    assert "nije evidentirano ko preuzima slučaj iz faze „identifikacija“" in result.stdout
    assert not CYRILLIC.search(result.stdout.replace("«", ""))


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("en", "Gaps in Bulgaria"), ("bg", "Пропуски в България"), ("el", "Κενά: Βουλγαρία"),
     ("ro", "Lacune în Bulgaria")],
)  # fmt: skip
def test_each_language_names_the_place_and_the_gaps_in_its_own_words(netmap, lang, heading):
    result = netmap("--lang", lang, "gaps", "--country", "BG")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(heading)


def test_the_terminal_locale_chooses_the_language_when_lang_is_not_given(netmap):
    result = netmap("gaps", "--city", "Plovdiv", LANG="bg_BG.UTF-8")
    assert result.stdout.startswith("Пропуски в Plovdiv")
    result = netmap("gaps", "--city", "Plovdiv", LANG="bg_BG.UTF-8", LC_MESSAGES="el_GR.UTF-8")
    assert result.stdout.startswith("Κενά: Plovdiv")
    result = netmap("gaps", "--city", "Plovdiv", LANG="bg_BG.UTF-8", NETMAP_LANG="ro")
    assert result.stdout.startswith("Lacune în Plovdiv")
    result = netmap("--lang", "en", "gaps", "--city", "Plovdiv", LANG="bg_BG.UTF-8")
    assert result.stdout.startswith("Gaps in Plovdiv")


def test_a_language_netmap_does_not_speak_is_refused_with_the_ones_it_does(netmap):
    result = netmap("--lang", "de", "stats")
    assert result.exit_code == 2
    assert "unknown language 'de'" in result.output
    assert ", ".join(LANGUAGES) in result.output


def test_errors_are_one_line_in_the_readers_language(netmap):
    result = netmap("--lang", "bg", "gaps", "--city", "Plovdv")
    assert result.exit_code == 1
    assert result.stderr.startswith("грешка: непознат град 'Plovdv'; имахте предвид 'Plovdiv'?")
    result = netmap("--lang", "ro", "find-contact", "--from", "nobody", "--country", "BG")
    assert result.stderr.startswith("eroare: instituție necunoscută 'nobody'")


def test_the_chosen_language_ends_with_the_command():
    runner = CliRunner()
    result = runner.invoke(app, ["--lang", "bg", "--version"])
    assert result.exit_code == 0
    assert current_language() == "en"


JSON_COMMANDS = [
    ("gaps", "--city", "Niš"),
    ("gaps", "--country", "BG"),
    ("gaps",),
    ("pathways", "--city", "Plovdiv", "--child", "--origin", "GR"),
    ("find-contact", "--from", "gr-thessaloniki-arsis", "--country", "BG", "--service", "shelter"),
    ("path", "gr-thessaloniki-arsis", "bg-sofia-sacp"),
    ("search", "Пловдив"),
    ("stats",),
]


@pytest.mark.parametrize("command", JSON_COMMANDS, ids=lambda c: " ".join(c))
def test_json_is_byte_identical_whatever_the_language(netmap, command):
    english = netmap(*command, "--json")
    assert english.exit_code == 0, english.output
    for lang in LANGUAGES[1:]:
        other = netmap("--lang", lang, *command, "--json", LANG="bg_BG.UTF-8")
        assert other.exit_code == 0, (lang, other.output)
        assert other.stdout_bytes == english.stdout_bytes, lang
    assert netmap(*command, "--json", NETMAP_LANG="el").stdout_bytes == english.stdout_bytes


def test_the_contact_finder_gives_its_reasons_in_greek(netmap):
    result = netmap(
        "--lang", "el", "find-contact", "--from", "gr-thessaloniki-arsis", "--country", "BG",
        "--service", "shelter",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Παρέχει «ξενώνας και ασφαλής φιλοξενία»" in result.stdout
    assert "Κοινωνικές υπηρεσίες" in result.stdout
    assert "Offers" not in result.stdout


def test_numbers_are_written_as_the_language_writes_them(netmap):
    result = netmap("--lang", "bg", "metrics", "--top", "1")
    assert result.exit_code == 0, result.output
    assert re.search(r"плътност 0,\d{3}", result.stdout)


def test_help_pages_are_in_the_readers_language_and_english_again_after(netmap):
    bulgarian = netmap("--lang", "bg", "--help")
    assert bulgarian.exit_code == 0
    assert "Пропуски в пътищата на насочване" in bulgarian.stdout
    assert "Команди" in bulgarian.stdout and "Показване на версията." in bulgarian.stdout
    greek = netmap("--lang", "el", "gaps", "--help")
    assert "Κενά στις διαδρομές παραπομπής" in greek.stdout
    assert "Μια πόλη, σε οποιαδήποτε γραφή" in greek.stdout
    assert "Εμφάνιση αυτού του μηνύματος και έξοδος." in greek.stdout
    english = netmap("gaps", "--help")
    assert "Gaps in referral pathways" in english.stdout
    assert "Options" in english.stdout and "Show this message and exit." in english.stdout


def test_help_follows_the_terminal_locale_too(netmap):
    result = netmap("--help", LANG="sr_RS.UTF-8@latin")
    assert "Praznine u putevima upućivanja" in result.stdout
    result = netmap("users", "--help", LANG="ro_RO.UTF-8")
    assert "Adăugarea unui cont" in result.stdout
