"""A store snapshot becomes networkx graphs a researcher can filter and aggregate."""

from __future__ import annotations

import networkx as nx
import pytest
from builders import institution, tie

from netmap.dates import active_on
from netmap.errors import NotFound
from netmap.graph import (
    NetworkFilter,
    cooperation_graph,
    ego_graph,
    ego_network,
    filter_network,
    graph_among,
    institution_graph,
    place_graph,
)
from netmap.model import City, Initiative, Participation
from netmap.places import name_key
from netmap.store.base import Network


@pytest.fixture
def demo(demo_network):
    return demo_network


@pytest.fixture
def two_cities():
    return Network.from_records(
        [
            City(name="Niš", name_local="Ниш", country="RS", lat=43.32, lon=21.90),
            City(name="Sofia", name_local="София", country="BG", lat=42.70, lon=23.32),
            institution("nis-police"),
            institution("nis-csw", sector="social_services"),
            institution("sofia-ngo", country="BG", city="Sofia", sector="civil_society"),
            institution(
                "sofia-iom", country="BG", city="Sofia", sector="international_organisation"
            ),
            Initiative(id="project", name="Joint project", start="2020", end="2021"),
            Participation(institution_id="nis-csw", initiative_id="project"),
            Participation(institution_id="sofia-ngo", initiative_id="project"),
            tie("nis-police", "nis-csw", "referral", 3, since="2021", until="2023"),
            tie("nis-csw", "sofia-ngo", "case_coordination", 1),
            tie("nis-csw", "sofia-ngo", "meeting", 2, since="2019-05"),
        ]
    )


def test_the_demo_network_becomes_a_graph_with_every_institution_and_tie(demo):
    graph = institution_graph(demo)
    assert graph.number_of_nodes() == len(demo.institutions) == 114
    assert graph.number_of_edges() == len(demo.ties) == 30
    *_, data = next(iter(graph.edges(keys=True, data=True)))
    assert {"kind", "strength", "directed", "source_id", "target_id"} <= set(data)
    assert data["implied"] is False


def test_a_city_in_any_script_filters_the_same_institutions(demo):
    latin = filter_network(demo, NetworkFilter(cities=("Niš",)))
    for spelling in ("Nis", "Ниш", "NIŠ"):
        other = filter_network(demo, NetworkFilter(cities=(spelling,)))
        assert list(other.institutions["id"]) == list(latin.institutions["id"])
    assert len(latin.institutions) == 10
    assert set(latin.ties["source_id"]) <= set(latin.institutions["id"])


def test_name_key_merges_transliterations_of_one_name():
    assert name_key("Ниш") == name_key("Niš") == name_key("NIS") == "nis"
    assert name_key("Пазарджик") == name_key("Pazardzhik")
    assert name_key("Крагујевац") == name_key("Kragujevac")
    assert name_key("Θεσσαλονίκη") == name_key("Thessaloniki")


def test_filter_by_country_keeps_only_ties_between_kept_institutions(two_cities):
    serbia = filter_network(two_cities, NetworkFilter(countries=("RS",)))
    assert sorted(serbia.institutions["id"]) == ["nis-csw", "nis-police"]
    assert list(serbia.ties["kind"]) == ["referral"]
    assert list(serbia.cities["name"]) == ["Niš"]


def test_a_tie_counts_on_every_day_its_partial_dates_cover():
    assert active_on("2021", "2023", "2021-01-01")
    assert active_on("2021", "2023", "2023-12-31")
    assert not active_on("2021", "2023", "2024-01-01")
    assert not active_on("2021", "2023", "2020-12-31")
    assert active_on("2019-05", None, "2019-05-01")
    assert active_on(None, None, "1999-01-01")


def test_a_date_filter_keeps_ties_active_on_that_day(two_cities):
    on = filter_network(two_cities, NetworkFilter(on="2020-06-15"))
    assert sorted(on.ties["kind"]) == ["case_coordination", "meeting"]
    assert list(on.initiatives["id"]) == ["project"]
    later = filter_network(two_cities, NetworkFilter(on="2022-06-15"))
    assert sorted(later.ties["kind"]) == ["case_coordination", "meeting", "referral"]
    assert later.initiatives.empty


def test_an_unknown_city_or_country_in_a_filter_names_the_closest(demo):
    with pytest.raises(NotFound, match="did you mean 'Kraljevo'"):
        filter_network(demo, NetworkFilter(cities=("Krljevo",)))
    with pytest.raises(NotFound, match="BE, BG, CH"):
        filter_network(demo, NetworkFilter(countries=("XX",)))
    with pytest.raises(NotFound, match="did you mean 'police'"):
        filter_network(demo, NetworkFilter(sectors=("polise",)))


def test_co_participation_adds_weak_implied_ties_marked_as_such(two_cities):
    graph = institution_graph(two_cities, implied=True)
    key = "implied:project:nis-csw:sofia-ngo"
    data = graph.edges["nis-csw", "sofia-ngo", key]
    assert data["implied"] is True
    assert data["kind"] == "co_participation"
    assert data["strength"] == 1
    assert institution_graph(two_cities).number_of_edges() == 3


def test_one_cooperation_edge_per_pair_with_summed_strength_and_trust_distance(two_cities):
    graph = cooperation_graph(institution_graph(two_cities))
    pair = graph.edges["nis-csw", "sofia-ngo"]
    assert pair["weight"] == 3
    assert pair["kinds"] == ["case_coordination", "meeting"]
    assert len(pair["ties"]) == 2
    assert pair["cross_border"] is True
    strong = graph.edges["nis-police", "nis-csw"]
    assert strong["distance"] < pair["distance"]
    assert strong["cross_border"] is False


def test_places_aggregate_ties_between_cities_and_countries(two_cities):
    cities = place_graph(two_cities, "city")
    assert cities.nodes["RS:Niš"]["institutions"] == 2
    assert cities.nodes["RS:Niš"]["internal_ties"] == 1
    assert cities.nodes["RS:Niš"]["lat"] == pytest.approx(43.32)
    assert cities.edges["RS:Niš", "BG:Sofia"]["weight"] == 2
    countries = place_graph(two_cities, "country")
    assert countries.edges["RS", "BG"]["weight"] == 2
    assert countries.nodes["BG"]["name"] == "Bulgaria"


def test_ego_network_holds_the_neighbourhood(two_cities):
    graph = institution_graph(two_cities)
    assert set(ego_network(graph, "nis-police", radius=1)) == {"nis-police", "nis-csw"}
    assert set(ego_network(graph, "nis-police", radius=2)) == {"nis-police", "nis-csw", "sofia-ngo"}
    with pytest.raises(NotFound, match="nis-police"):
        ego_network(graph, "nis-polic")


@pytest.mark.parametrize("radius", [1, 2, 3])
def test_the_neighbourhood_read_from_the_tables_is_the_whole_graphs(demo, radius):
    whole = institution_graph(demo)
    for center in list(demo.institutions["id"])[::7]:
        alone = ego_graph(demo, center, radius)
        assert nx.utils.graphs_equal(alone, ego_network(whole, center, radius)), center
    path = ["rs-belgrade-atina", "be-brussels-european-union", "bg-sofia-sacp"]
    assert nx.utils.graphs_equal(graph_among(demo, path), whole.subgraph(path))


def test_the_neighbourhood_of_an_unknown_institution_is_refused(demo):
    with pytest.raises(NotFound):
        ego_graph(demo, "xx-nowhere")
