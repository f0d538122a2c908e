"""Names in the reader's language and script."""

from __future__ import annotations

import pytest

from netmap.i18n import language
from netmap.names import display_name, display_names, script_language
from netmap.transliteration import serbian_latin


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Центар за социјални рад Ниш", "Centar za socijalni rad Niš"),
        ("Љубљана", "Ljubljana"),
        ("ЉУБЉАНА", "LJUBLJANA"),
        ("Њиве и џемпер", "Njive i džemper"),
        ("ЏЕП", "DŽEP"),
        ("Џ", "Dž"),
        ("Ђорђе Ћирић", "Đorđe Ćirić"),
        ("Чачак, Шабац, Жабаљ", "Čačak, Šabac, Žabalj"),
        ("Атина (NGO) 2013", "Atina (NGO) 2013"),
    ],
)
def test_serbian_cyrillic_is_written_in_serbian_latin_letter_for_letter(cyrillic, latin):
    assert serbian_latin(cyrillic) == latin


def test_every_letter_of_the_serbian_cyrillic_alphabet_has_its_latin_letter():
    alphabet = "АБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШ"
    latin = serbian_latin(alphabet.lower())
    assert latin == "abvgdđežzijklljmnnjoprstćufhcčdžš"
    assert not any("\u0400" <= ch <= "\u04ff" for ch in serbian_latin(alphabet))


def test_a_name_tells_its_language_by_letters_only_one_alphabet_has():
    assert script_language("Ελληνική Αστυνομία") == "el"
    assert script_language("Центар за социјални рад") == "sr"
    assert script_language("Държавна агенция за закрила на детето") == "bg"
    assert script_language("Полиција") is None or script_language("Полиција") == "sr"
    assert script_language("Centar za socijalni rad") is None


SACP = ("State Agency for Child Protection", "Държавна агенция за закрила на детето")
CSR = ("Centre for Social Work Niš", "Центар за социјални рад Ниш")


def test_a_bulgarian_reader_sees_the_bulgarian_name_first_and_an_english_reader_the_english():
    assert display_names(*SACP, country="BG", language="bg") == (SACP[1], SACP[0])
    assert display_names(*SACP, country="BG", language="en") == SACP
    assert display_name(*SACP, country="BG", language="el") == SACP[0]


def test_a_serbian_latin_reader_sees_a_cyrillic_name_transliterated():
    assert display_name(*CSR, country="RS", language="sr") == "Центар за социјални рад Ниш"
    assert display_name(*CSR, country="RS", language="sr_Latn") == "Centar za socijalni rad Niš"
    # a Bulgarian reader reads Cyrillic, but this is Serbian: the English name comes first
    assert display_name(*CSR, country="RS", language="bg") == CSR[0]


def test_without_a_country_the_script_tells_whose_name_it_is():
    assert display_name(*SACP, language="bg") == SACP[1]
    assert display_name(*SACP, language="sr") == SACP[0]
    assert display_name(*CSR, language="sr_Latn") == "Centar za socijalni rad Niš"


def test_a_romanian_name_in_latin_script_comes_first_for_a_romanian_reader():
    anitp = (
        "National Agency against Trafficking in Persons",
        "Agenția Națională împotriva Traficului de Persoane",
    )
    assert display_name(*anitp, country="RO", language="ro") == anitp[1]
    assert display_name(*anitp, country="MD", language="ro") == anitp[1]
    assert display_name(*anitp, country="RO", language="el") == anitp[0]


def test_a_record_with_one_name_shows_it_to_everyone():
    assert display_names("ARSIS", None, country="GR", language="el") == ("ARSIS", None)
    assert display_names(None, "Центар за социјални рад", language="sr_Latn") == (
        "Centar za socijalni rad",
        None,
    )
    assert display_names("ARSIS", "ARSIS", country="GR", language="el") == ("ARSIS", None)


def test_the_current_language_is_the_default_reader():
    with language("bg"):
        assert display_name(*SACP, country="BG") == SACP[1]
    assert display_name(*SACP, country="BG") == SACP[0]
