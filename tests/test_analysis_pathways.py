"""From the actor who identified a victim, the chains of ties that lead to help."""

from __future__ import annotations

import pytest
from builders import institution, tie

from netmap.analysis.pathways import introduction_path, path_steps, pathways, return_pathways
from netmap.errors import NetmapError, NotFound
from netmap.store.base import Network


@pytest.fixture
def demo(demo_network):
    return demo_network


@pytest.fixture
def chain():
    """Police -> social work centre -> shelter -> a health centre, an employment office
    nobody reaches, and the funder of the shelter."""
    return Network.from_records(
        [
            institution("police", services=["identification"]),
            institution("csw", sector="social_services", services=["case_management"]),
            institution("shelter", sector="civil_society", services=["shelter"]),
            institution("clinic", city="Belgrade", sector="health", services=["medical"]),
            institution("nes", sector="employment"),
            institution("donor", city="Belgrade", sector="international_organisation"),
            tie("police", "csw", "referral", 3),
            tie("csw", "shelter", "case_coordination", 3),
            tie("shelter", "clinic", "referral", 1),
            tie("donor", "shelter", "funding"),
            tie("donor", "nes", "funding"),
        ]
    )  # fmt: skip


def test_each_later_stage_lists_the_actors_a_case_reaches_with_hop_counts(chain):
    stages = {s["stage"]: s for s in pathways(chain, "police")}
    assert "identification" not in stages
    protection = stages["protection"]
    assert protection["nearest_hops"] == 2
    assert protection["country"] == "RS"
    assert protection["reachable"][0]["path"] == ["police", "csw", "shelter"]
    assistance = stages["assistance"]
    assert [r["institution_id"] for r in assistance["reachable"]] == ["csw", "clinic"]
    assert "the nearest is csw (1 hop: police → csw)" in assistance["why"]
    # interpretation, a need at every stage, comes first
    assert pathways(chain, "police")[0]["stage"] == "interpretation"


def test_a_funder_is_not_a_route_for_a_case(chain):
    """The donor funds both the shelter and the employment office: no case travels from
    one to the other through it."""
    inclusion = next(s for s in pathways(chain, "police") if s["stage"] == "social_inclusion")
    assert inclusion["reachable"] == []
    assert inclusion["nearest_hops"] is None
    assert inclusion["actors"] == 1
    assert inclusion["why"].startswith("No recorded tie that carries cases leads from police")


def test_a_collective_record_is_never_a_stages_nearest_actor():
    network = Network.from_records(
        [
            institution("police", services=["identification"]),
            institution("ngos", sector="civil_society", services=["shelter"], collective=True),
            institution("shelter", sector="civil_society", services=["shelter"]),
            tie("police", "ngos", "referral"),
            tie("ngos", "shelter", "referral"),
        ]
    )
    protection = next(s for s in pathways(network, "police") if s["stage"] == "protection")
    assert [r["institution_id"] for r in protection["reachable"]] == ["shelter"]
    assert protection["actors"] == 1


def both_countries():
    """Greek police and a child-protection service; a Greek NGO that prepares returns; a
    Bulgarian agency that receives returned children."""
    return Network.from_records(
        [
            institution("gr-police", country="GR", city="Athens", services=["identification"]),
            institution("gr-ekka", country="GR", city="Athens", sector="social_services",
                        services=["child_protection", "guardianship", "best_interests",
                                  "case_management"]),
            institution("gr-ngo", country="GR", city="Athens", sector="civil_society",
                        services=["repatriation", "shelter"]),
            institution("bg-sacp", country="BG", city="Sofia", sector="child_protection",
                        services=["reception", "reintegration"]),
            tie("gr-police", "gr-ekka", "referral"),
            tie("gr-ekka", "gr-ngo", "case_coordination"),
            tie("gr-ngo", "bg-sacp", "protocol"),
        ]
    )  # fmt: skip


def test_a_child_found_abroad_walks_through_guardianship_and_returns_to_reception_at_home():
    stages = pathways(both_countries(), "gr-police", child=True, origin="BG")
    by_key = {s["stage"]: s for s in stages}
    assert [s["stage"] for s in stages if not s["cross_cutting"]] == [
        "child_notification", "guardianship", "formal_identification", "referral",
        "protection", "best_interests", "assistance", "proceedings", "return", "reception",
        "social_inclusion",
    ]  # fmt: skip
    assert by_key["guardianship"]["reachable"][0]["institution_id"] == "gr-ekka"
    assert by_key["return"]["country"] == "GR"
    assert by_key["return"]["reachable"][0]["institution_id"] == "gr-ngo"
    reception = by_key["reception"]
    assert reception["country"] == "BG"
    assert reception["reachable"][0]["path"] == ["gr-police", "gr-ekka", "gr-ngo", "bg-sacp"]
    # after the return, social inclusion happens at home
    assert by_key["social_inclusion"]["country"] == "BG"


def test_a_national_identified_at_home_is_not_asked_for_return():
    stages = [s["stage"] for s in pathways(both_countries(), "gr-police")]
    assert not {"return", "reception", "guardianship", "best_interests"} & set(stages)
    assert pathways(both_countries(), "gr-police", origin="GR") == pathways(
        both_countries(), "gr-police"
    )


def test_pathways_from_a_city_start_at_its_identifying_actors(demo):
    by_city = pathways(demo, city="Ниш")
    assert by_city == pathways(demo, city="Nis")
    referral = next(s for s in by_city if s["stage"] == "referral")
    # the centre for social work identifies and refers by its sector's usual services
    assert referral["reachable"][0]["institution_id"] == "rs-nis-csw"
    assert referral["reachable"][0]["services_known_as"] == "assumed"
    assert "(assumed)" in referral["why"]
    # no tie that carries cases is recorded in Serbia: nothing beyond the city's own
    inclusion = next(s for s in by_city if s["stage"] == "social_inclusion")
    assert (inclusion["actors"], inclusion["reached"]) == (7, 0)


def test_the_introduction_path_prefers_strong_ties():
    network = Network.from_records(
        [
            *(institution(i) for i in ("a", "b", "c", "d")),
            tie("a", "b", strength=1),
            tie("b", "d", strength=1),
            tie("a", "c", strength=3),
            tie("c", "d", strength=3),
        ]
    )
    assert introduction_path(network, "a", "d") == ["a", "c", "d"]
    steps = path_steps(network, ["a", "c", "d"])
    assert [(s["from"], s["to"], s["strength"]) for s in steps] == [("a", "c", 3), ("c", "d", 3)]


def test_no_introduction_path_between_strangers(chain):
    assert introduction_path(chain, "police", "nes") == []
    assert introduction_path(chain, "police", "police") == ["police"]
    with pytest.raises(NotFound, match="did you mean 'police'"):
        introduction_path(chain, "polise", "nes")


def test_return_pathways_lead_from_one_country_to_reception_in_another():
    network = Network.from_records(
        [
            institution("gr-ngo", country="GR", city="Thessaloniki", sector="civil_society",
                        services=["repatriation"]),
            institution("gr-police", country="GR", city="Thessaloniki"),
            institution("bg-reception", country="BG", city="Sofia", sector="social_services",
                        services=["reception"]),
            institution("bg-reintegration", country="BG", city="Sofia", sector="civil_society",
                        services=["reintegration"]),
            institution("bg-police", country="BG", city="Sofia"),
            institution("eu", country="BE", city="Brussels", sector="international_organisation"),
            tie("gr-police", "gr-ngo", "referral", 3),
            tie("gr-ngo", "bg-reception", "case_coordination", 3),
            tie("eu", "gr-ngo", "funding"),
            tie("eu", "bg-reintegration", "funding"),
        ]
    )  # fmt: skip
    routes = return_pathways(network, "GR", "BG")
    assert [r["institution_id"] for r in routes] == ["bg-reception", "bg-reintegration"]
    assert routes[0]["reachable"] and routes[0]["path"] == ["gr-ngo", "bg-reception"]
    assert routes[0]["stages"] == ["reception"]
    assert routes[0]["via_return_actor"] == "gr-ngo"
    assert "gr-ngo prepares the return on the way" in routes[0]["why"]
    # funded by the same donor is no route home
    assert routes[1]["reachable"] is False and routes[1]["path"] == []
    assert "No recorded tie that carries cases links any actor in Greece" in routes[1]["why"]
    with pytest.raises(NetmapError, match="two different countries"):
        return_pathways(network, "BG", "BG")
    with pytest.raises(NotFound, match="in the network: BE, BG, GR"):
        return_pathways(network, "GR", "RO")


def test_an_introduction_never_passes_through_a_funder():
    network = Network.from_records(
        [
            *(institution(i) for i in ("a", "b", "donor")),
            tie("donor", "a", "funding"),
            tie("donor", "b", "hosting"),
        ]
    )
    assert introduction_path(network, "a", "b") == []


def test_pathways_are_the_same_twice(demo):
    assert pathways(demo, "gr-thessaloniki-arsis") == pathways(demo, "gr-thessaloniki-arsis")
