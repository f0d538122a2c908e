"""The taxonomy's labels in every interface language, as data."""

from __future__ import annotations

from pathlib import Path

import pytest

from netmap.errors import NetmapError
from netmap.i18n import LANGUAGES, language
from netmap.resources import data_file
from netmap.taxonomy import LABELLED, TRANSLATED_LANGUAGES, _parse, load_taxonomy


def test_every_label_of_every_vocabulary_and_stage_is_written_in_every_language():
    taxonomy = load_taxonomy()
    assert taxonomy.missing_labels() == []
    assert set(TRANSLATED_LANGUAGES) == set(LANGUAGES) - {"en"}
    for vocabulary in LABELLED:
        for lang in TRANSLATED_LANGUAGES:
            labels = taxonomy.labels(vocabulary, lang)
            english = taxonomy.labels(vocabulary, "en")
            assert labels.keys() == english.keys()
            # a label left in English would pass as written: Latin-script languages may
            # share a word (Local, Regional, Protocol), the others may not
            if lang in ("el", "bg", "sr"):
                same = [k for k in labels if labels[k] == english[k]]
                assert same == [], (vocabulary, lang, same)


def test_the_stages_use_the_national_referral_mechanisms_terms():
    taxonomy = load_taxonomy()
    terms = {
        "bg": ("Идентифициране", "Насочване", "Подпомагане", "Социално включване"),
        "el": ("Ταυτοποίηση", "Παραπομπή"),
        "sr": ("Идентификација", "Упућивање"),
        "sr_Latn": ("Identifikacija", "Upućivanje"),
        "ro": ("Identificare", "Referire"),
    }
    for lang, expected in terms.items():
        stages = taxonomy.labels("stages", lang)
        for term in expected:
            assert term in stages.values(), (lang, term)


def test_serbian_latin_labels_are_the_cyrillic_ones_transliterated():
    taxonomy = load_taxonomy()
    assert taxonomy.label("sectors", "child_protection", "sr") == "Заштита деце"
    assert taxonomy.label("sectors", "child_protection", "sr_Latn") == "Zaštita dece"
    assert taxonomy.label("services", "outreach", "sr_Latn") == "Terenski rad i rad na ulici"


def test_a_label_follows_the_current_language():
    taxonomy = load_taxonomy()
    assert taxonomy.label("sectors", "police") == "Police"
    with language("bg"):
        assert taxonomy.label("sectors", "police") == "Полиция"
        assert taxonomy.label("tie_kinds", "referral") == "Насочване"
        assert taxonomy.label("sectors", "no_such_sector") == "no_such_sector"
        assert taxonomy.expected_sectors("RS").basis_in().startswith("източник 002")
    assert taxonomy.expected_sectors("RS").basis_in().startswith("seed 002")


def _write(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = data_file(name).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_label_in_a_language_netmap_does_not_speak_is_refused_with_the_key(tmp_path):
    taxonomy = _write(tmp_path, "taxonomy.toml", 'labels.el = "Αστυνομία"', 'labels.de = "Polizei"')
    with pytest.raises(NetmapError, match=r"\[sectors\.police\] labels names languages .*: de"):
        _parse(taxonomy, data_file("pathway.toml"))


def test_a_stage_label_in_an_unknown_language_is_refused_too(tmp_path):
    pathway = _write(
        tmp_path,
        "pathway.toml",
        'labels.ro = "Referire"',
        'labels.ro = "Referire"\nlabels.en = "x"',
    )
    with pytest.raises(NetmapError, match=r"\[stages\.referral\] labels names .*: en"):
        _parse(data_file("taxonomy.toml"), pathway)


def test_a_missing_translation_is_reported_and_shows_the_english_label(tmp_path):
    taxonomy = _write(tmp_path, "taxonomy.toml", 'labels.ro = "Poliția"\n', "")
    loaded = _parse(taxonomy, data_file("pathway.toml"))
    assert loaded.missing_labels() == [("sectors", "police", "ro")]
    assert loaded.label("sectors", "police", "ro") == "Police"
