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
    """Police -> social work centre -> shelter -> IOM, and an employment office nobody knows."""
    return Network.from_records(
        [
            institution("police", services=["identification"]),
            institution("csw", sector="social_services", services=["case_management"]),
            institution("shelter", sector="civil_society", services=["shelter"]),
            institution("iom", city="Belgrade", sector="international_organisation",
                        services=["repatriation"]),
            institution("nes", sector="employment"),
            tie("police", "csw", "referral", 3),
            tie("csw", "shelter", "case_coordination", 3),
            tie("shelter", "iom", "information_exchange", 1),
        ]
    )  # fmt: skip


def test_each_later_stage_lists_the_actors_a_case_reaches_with_hop_counts(chain):
    stages = {s["stage"]: s for s in pathways(chain, "police")}
    assert "identification" not in stages
    protection = stages["protection"]
    assert protection["nearest_hops"] == 2
    assert protection["reachable"][0]["path"] == ["police", "csw", "shelter"]
    assert stages["return"]["reachable"][0]["hops"] == 3
    assert "the nearest is iom (3 hops: police → csw → shelter → iom)" in stages["return"]["why"]


def test_a_stage_no_chain_reaches_says_so(chain):
    inclusion = next(s for s in pathways(chain, "police") if s["stage"] == "social_inclusion")
    assert inclusion["reachable"] == []
    assert inclusion["nearest_hops"] is None
    assert inclusion["actors"] == 1
    assert inclusion["why"].startswith("No chain of existing ties leads from police")


def test_pathways_from_a_city_start_at_its_identifying_actors(demo):
    by_city = pathways(demo, city="Ниш")
    assert by_city == pathways(demo, city="Nis")
    protection = next(s for s in by_city if s["stage"] == "protection")
    assert protection["reachable"][0]["path"][0] == "rs-nis-police"


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


def test_return_pathways_lead_from_one_country_to_return_actors_in_another():
    network = Network.from_records(
        [
            institution("gr-ngo", country="GR", city="Thessaloniki", sector="civil_society"),
            institution("bg-iom", country="BG", city="Sofia", sector="international_organisation",
                        services=["repatriation"]),
            institution("bg-reintegration", country="BG", city="Sofia", sector="civil_society",
                        services=["reintegration"]),
            institution("bg-police", country="BG", city="Sofia"),
            tie("gr-ngo", "bg-iom", "case_coordination", 3),
        ]
    )  # fmt: skip
    routes = return_pathways(network, "GR", "BG")
    assert [r["institution_id"] for r in routes] == ["bg-iom", "bg-reintegration"]
    assert routes[0]["reachable"] and routes[0]["path"] == ["gr-ngo", "bg-iom"]
    assert routes[0]["stages"] == ["return"]
    assert routes[1]["stages"] == ["social_inclusion"]
    assert routes[1]["reachable"] is False and routes[1]["path"] == []
    assert "No chain of existing ties links any actor in Greece" in routes[1]["why"]
    with pytest.raises(NetmapError, match="two different countries"):
        return_pathways(network, "BG", "BG")
    with pytest.raises(NotFound, match="in the network: BG, GR"):
        return_pathways(network, "GR", "RO")


def test_pathways_are_the_same_twice(demo):
    assert pathways(demo, "gr-thessaloniki-arsis") == pathways(demo, "gr-thessaloniki-arsis")
