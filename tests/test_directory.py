"""The Directory finds institutions by a city, a contact or an initiative, in any script."""

from __future__ import annotations

import pytest

from netmap.directory import (
    folded_names,
    institution_names,
    matching_institutions,
    names_matching,
)
from netmap.search_index import SearchIndex


@pytest.fixture(scope="module")
def index(demo_network) -> SearchIndex:
    return SearchIndex.build(demo_network)


@pytest.fixture(scope="module")
def folded(demo_network) -> dict[str, str]:
    return folded_names(demo_network, institution_names(demo_network))


def test_a_city_in_its_own_script_lists_its_institutions(demo_network, index):
    found = matching_institutions(demo_network, index, "Пловдив")
    assert found["bg-plovdiv-police"] == "in Plovdiv"
    city = demo_network.institutions.set_index("id")["city"]
    assert set(city[city == "Plovdiv"].index) <= set(found)
    assert {city[i] for i, why in found.items() if why == "in Plovdiv"} == {"Plovdiv"}


def test_an_institution_found_by_name_says_so(demo_network, index):
    assert matching_institutions(demo_network, index, "ARSIS") == {"gr-thessaloniki-arsis": "name"}


def test_a_contact_brings_its_institution_only_for_those_who_may_see_contacts(demo_network, index):
    text = "Danijela Korać-Mandić"
    assert matching_institutions(demo_network, index, text, contacts=True) == {
        "rs-novi-sad-nshc": "contact Danijela Korać-Mandić"
    }
    assert "rs-novi-sad-nshc" not in matching_institutions(demo_network, index, text)


def test_an_initiative_brings_everyone_who_takes_part(demo_network, index):
    found = matching_institutions(demo_network, index, "AMELIE")
    parts = demo_network.participations
    members = set(parts.loc[parts["initiative_id"] == "amelie-2021", "institution_id"])
    assert members and members <= set(found)
    assert "takes part in AMELIE" in {found[i] for i in members}


def test_each_institution_is_labelled_with_its_place(demo_network):
    names = institution_names(demo_network)
    assert names["gr-thessaloniki-arsis"].endswith(" – Thessaloniki, GR")
    assert names["be-brussels-european-union"] == "European Union – BE"  # no city known
    assert list(names) == list(demo_network.institutions["id"])


def test_every_word_typed_must_match_in_any_case_and_accent(folded):
    assert names_matching(folded, "THESS arsis") == ["gr-thessaloniki-arsis"]
    assert "rs-nis-police" in names_matching(folded, "police niš")
    assert names_matching(folded, "police zzzz") == []


def test_a_city_typed_in_cyrillic_finds_its_institutions_as_in_latin(folded):
    # anyascii spells Ниш "Nish", the city is written Niš: transliterations meet
    assert "rs-nis-police" in names_matching(folded, "Ниш")
    assert names_matching(folded, "Ниш") == names_matching(folded, "Nis")
    assert "bg-pazardzhik-ngos" in names_matching(folded, "Пазарджик")


def test_the_local_name_and_the_id_match_too(folded, demo_network):
    local = demo_network.institutions.set_index("id")["name_local"].dropna()
    some_id, its_local_name = next(iter(local.items()))
    assert some_id in names_matching(folded, its_local_name)
    assert names_matching(folded, "gr-thessaloniki-arsis") == ["gr-thessaloniki-arsis"]


def test_only_the_institutions_asked_for_and_no_more_than_the_limit(folded):
    everyone_in_greece = names_matching(folded, "gr", limit=1000)
    assert len(everyone_in_greece) > 5
    assert names_matching(folded, "gr", limit=3) == everyone_in_greece[:3]
    within = set(everyone_in_greece[-2:])
    assert names_matching(folded, "gr", within=within) == everyone_in_greece[-2:]


def test_a_query_of_no_words_matches_nothing(folded):
    assert names_matching(folded, "") == []
    assert names_matching(folded, " – ,. ") == []
