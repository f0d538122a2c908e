"""One search box finds institutions, people, cities and initiatives in any script."""

from __future__ import annotations

import pytest

import netmap
from netmap.errors import NetmapError
from netmap.io import import_into
from netmap.model import City, Contact, Institution
from netmap.resources import data_file
from netmap.search_index import Hit, SearchIndex, search
from netmap.store import SQLiteStore
from netmap.store.base import Network


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    store = SQLiteStore(tmp_path_factory.mktemp("demo") / "d.db")
    import_into(store, data_file("demo"))
    return store.snapshot()


@pytest.fixture(scope="module")
def index(demo):
    return SearchIndex.build(demo)


def first(index, text, **options) -> Hit:
    hits = index.search(text, **options)
    assert hits, f"nothing found for {text!r}"
    return hits[0]


def test_plovdiv_in_cyrillic_finds_the_city(index):
    hit = first(index, "Пловдив")
    assert (hit.kind, hit.id, hit.name) == ("city", "bg-plovdiv", "Plovdiv")
    assert hit.detail == "City · Пловдив · BG"


def test_thessaloniki_in_greek_finds_the_city(index):
    hit = first(index, "Θεσσαλονίκη")
    assert (hit.kind, hit.name) == ("city", "Thessaloniki")


@pytest.mark.parametrize("spelling", ["Nis", "Niš", "Ниш", "NIŠ", "nis"])
def test_nis_is_found_however_it_is_written(index, spelling):
    hit = first(index, spelling)
    assert (hit.kind, hit.id, hit.name) == ("city", "rs-nis", "Niš")


def test_every_spelling_of_nis_ranks_the_same_institutions(index):
    lists = [[h.id for h in index.search(s)] for s in ("Nis", "Niš", "Ниш")]
    assert lists[0] == lists[1] == lists[2]
    assert "rs-nis-police" in lists[0]


@pytest.mark.parametrize(
    ("typo", "meant"),
    [("Thesaloniki", "Thessaloniki"), ("Plovdv", "Plovdiv"), ("Kraljvo", "Kraljevo")],
)
def test_a_typo_still_finds_the_city(index, typo, meant):
    assert first(index, typo, kinds=["city"]).name == meant
    assert first(index, typo).name == meant


def test_a_word_being_typed_matches_by_its_beginning(index):
    assert first(index, "Thess").name == "Thessaloniki"
    assert first(index, "Krag").name == "Kragujevac"


def test_several_words_must_all_match(index):
    hits = index.search("police nis")
    assert [h.id for h in hits] == ["rs-nis-police"]
    assert hits[0].detail == "Police · Niš, RS"


def test_contacts_are_found_by_name_in_either_script(index):
    for text in ("Emil Valkov", "Вълков"):
        hit = first(index, text)
        assert (hit.kind, hit.id) == ("contact", "c-plovdiv-valkov")


def test_initiatives_and_acronyms_are_found(index):
    assert first(index, "Local communities against trafficking").kind == "initiative"
    arsis = index.search("ARSIS", kinds=["institution"])
    assert [h.id for h in arsis][:1] == ["gr-thessaloniki-arsis"]
    assert first(index, "ΑΡΣΙΣ").id == "gr-thessaloniki-arsis"


def test_kinds_restrict_the_results_and_unknown_kinds_are_refused(index):
    assert {h.kind for h in index.search("Niš", kinds=["institution"])} == {"institution"}
    with pytest.raises(NetmapError, match="unknown kind person"):
        index.search("Niš", kinds=["person"])


def test_nothing_is_found_for_nonsense_or_empty_text(index):
    assert index.search("qqqqzzzz") == []
    assert index.search("   ") == []
    assert index.search("Niš", limit=0) == []


def test_results_are_ranked_best_first_within_the_limit(index):
    hits = index.search("Niš", limit=5)
    assert len(hits) == 5
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(0 < h.score <= 100 for h in hits)


def test_the_same_query_gives_the_same_results_from_a_new_index(demo, index):
    again = SearchIndex.build(demo)
    for text in ("Niš", "Plovdiv", "centre", "a", "Thesaloniki"):
        assert again.search(text) == index.search(text)


def test_a_city_known_only_from_institutions_is_searchable():
    network = Network.from_records(
        [
            City(name="Sofia", name_local="София", country="BG"),
            Institution(id="x", name="Shelter X", sector="civil_society", country="BG",
                        city="Velingrad"),
            Contact(id="c", institution_id="x", name="Ana Petrova", role="Social worker"),
        ]
    )  # fmt: skip
    index = SearchIndex.build(network)
    assert first(index, "Велинград").name == "Velingrad"
    assert first(index, "София").name == "Sofia"
    contact = first(index, "Petrova")
    assert contact.detail == "Social worker · Shelter X · Velingrad, BG"


def test_the_module_search_and_the_package_export_agree(demo, index):
    assert search(demo, "Пловдив") == index.search("Пловдив")
    assert netmap.search(demo, "Пловдив")[0].to_json() == {
        "kind": "city",
        "id": "bg-plovdiv",
        "name": "Plovdiv",
        "detail": "City · Пловдив · BG",
        "score": 100.0,
    }


def test_a_large_index_still_ranks_exact_names_first():
    names = [f"Centre {i:05d} for social work" for i in range(5_000)]
    network = Network.from_records(
        [
            *(
                Institution(id=f"i{i}", name=name, sector="social_services", country="RS")
                for i, name in enumerate(names)
            ),
            Institution(id="exact", name="Centre", sector="social_services", country="RS"),
        ]
    )
    index = SearchIndex.build(network)
    assert index.search("centre", limit=3)[0].id == "exact"
    assert [h.id for h in index.search("centre 01234")] == ["i1234"]
