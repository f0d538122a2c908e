"""A commission sees what its referral pathway lacks, and why it matters."""

from __future__ import annotations

import json
from datetime import date
from functools import partial

import builders
import pytest

import netmap
from netmap.analysis.gaps import GapIndex, coverage, cross_border_matrix, gaps
from netmap.errors import NotFound
from netmap.model import Contact, slug
from netmap.store.base import Network
from netmap.taxonomy import reload_taxonomy

TODAY = date(2026, 11, 23)


institution = partial(builders.institution, country="RS", city="Kraljevo", sector="police")
tie = builders.tie


@pytest.fixture
def demo(demo_network):
    return demo_network


MODEL = """
# A commission's own referral-pathway model: three stages and two hand-overs.
handovers = [["identification", "referral"], ["referral", "protection"]]

[stages.identification]
label = "Identification"
order = 1
services = ["identification"]
sectors = ["police"]

[stages.referral]
label = "Referral"
order = 2
services = ["case_management"]
sectors = ["social_services"]

[stages.protection]
label = "Protection"
order = 3
services = ["shelter"]
sectors = ["child_protection"]

[local_network]
expected_sectors = ["police", "social_services", "health"]
"""


@pytest.fixture
def own_model(tmp_path, monkeypatch):
    """The pathway model a user edited for their country (NETMAP_PATHWAY names it)."""
    path = tmp_path / "pathway.toml"
    path.write_text(MODEL, encoding="utf-8")
    monkeypatch.setenv("NETMAP_PATHWAY", str(path))
    reload_taxonomy()
    yield path
    monkeypatch.undo()
    reload_taxonomy()


def local_network(city, *, health=True, extra=()):
    """A local network: police, social work centre, prosecution (and a health centre)."""
    key = slug(city)
    records = [
        institution(f"{key}-police", city=city, level="local"),
        institution(f"{key}-csw", city=city, sector="social_services"),
        institution(f"{key}-prosecution", city=city, sector="prosecution"),
        tie(f"{key}-police", f"{key}-csw", "referral"),
        tie(f"{key}-csw", f"{key}-prosecution"),
    ]
    if health:
        records += [
            institution(f"{key}-health", city=city, sector="health"),
            tie(f"{key}-csw", f"{key}-health"),
        ]
    return records + list(extra)


def test_a_city_without_health_actors_is_told_why_it_matters():
    network = Network.from_records(
        local_network("Kraljevo", health=False)
        + local_network("Niš")
        + local_network("Vranje")
        + local_network("Subotica")
    )
    report = gaps(network, city="Kraljevo", today=TODAY)
    health = [f for f in report.missing_sectors if f["sector"] == "health"]
    assert len(health) == 1
    finding = health[0]
    assert finding["city"] == "Kraljevo"
    assert finding["expected_by_model"] is True
    assert (finding["peers_with_it"], finding["peers"]) == (3, 3)
    assert finding["why"].startswith("No health actor in Kraljevo")
    assert "3 of the 3 other local networks in Serbia have one" in finding["why"]
    assert "cannot be referred locally for medical care" in finding["why"]
    assert not any(f["sector"] == "health" for f in gaps(network, city="Niš").missing_sectors)


def test_a_stage_no_tie_hands_over_is_reported_until_a_tie_carries_it(own_model):
    police = institution("police")
    shelter = institution("shelter", sector="civil_society", services=["shelter"])
    without = Network.from_records([police, shelter])
    report = gaps(without, city="Kraljevo", today=TODAY)
    handovers = {(f["from_stage"], f["to_stage"]) for f in report.missing_handovers}
    assert ("identification", "referral") in handovers
    finding = next(f for f in report.missing_handovers if f["to_stage"] == "referral")
    assert finding["from_actors"] == ["police"]
    assert "none has a tie to an actor of referral" in finding["why"]

    csw = institution("csw", sector="social_services")
    linked = Network.from_records([police, shelter, csw, tie("police", "csw", "referral")])
    handovers = {
        (f["from_stage"], f["to_stage"])
        for f in gaps(linked, city="Kraljevo", today=TODAY).missing_handovers
    }
    assert ("identification", "referral") not in handovers


def test_a_referral_against_the_flow_does_not_carry_the_hand_over(own_model):
    police = institution("police")
    csw = institution("csw", sector="social_services", services=["case_management"])
    backwards = Network.from_records([police, csw, tie("csw", "police", "referral")])
    handovers = {
        (f["from_stage"], f["to_stage"])
        for f in gaps(backwards, city="Kraljevo", today=TODAY).missing_handovers
    }
    assert ("identification", "referral") in handovers
    forwards = Network.from_records([police, csw, tie("police", "csw", "referral")])
    handovers = {
        (f["from_stage"], f["to_stage"])
        for f in gaps(forwards, city="Kraljevo", today=TODAY).missing_handovers
    }
    assert ("identification", "referral") not in handovers


def test_a_city_with_only_police_misses_the_protection_stage():
    network = Network.from_records([institution("police")])
    report = gaps(network, city="Kraljevo", today=TODAY)
    stages = [f["stage"] for f in report.missing_stages]
    assert "protection" in stages and "identification" not in stages
    protection = next(f for f in report.missing_stages if f["stage"] == "protection")
    assert protection["why"].startswith("No actor in Kraljevo carries protection (shelter")


def test_the_only_link_of_several_partners_is_a_single_point_of_failure():
    network = Network.from_records(local_network("Kraljevo"))
    report = gaps(network, city="Kraljevo", today=TODAY)
    csw = report.single_points_of_failure[0]
    assert csw["id"] == "kraljevo-csw"
    assert csw["cut_off"] == ["kraljevo-health", "kraljevo-prosecution"]
    assert csw["why"].startswith("If kraljevo-csw stops cooperating, 2 partners lose their")


def test_the_only_actor_doing_a_hand_over_is_a_single_point_of_failure(own_model):
    network = Network.from_records(
        [
            institution("police"),
            institution("police-2"),
            institution("csw", sector="social_services"),
            tie("police", "csw", "referral"),
            tie("police-2", "csw", "referral"),
            tie("police", "police-2"),
        ]
    )
    report = gaps(network, city="Kraljevo", today=TODAY)
    csw = next(f for f in report.single_points_of_failure if f["id"] == "csw")
    assert csw["cut_off"] == []
    assert {"place": "Kraljevo, RS", "from_stage": "identification", "to_stage": "referral"} in (
        csw["broken_handovers"]
    )
    assert "nobody would be left to take a case from identification to referral" in csw["why"]


def test_a_partner_abroad_that_alone_takes_over_a_case_is_named_in_the_city_report(own_model):
    """Only the city's country and its partners are read for one city: a partner in another
    country still counts, with its name and place."""
    network = Network.from_records(
        [
            institution("police"),
            institution("csw-sofia", name="Социално подпомагане", country="BG", city="Sofia",
                        sector="social_services"),
            institution("elsewhere", country="BG", city="Plovdiv", sector="health"),
            tie("police", "csw-sofia", "referral"),
        ]
    )  # fmt: skip
    report = gaps(network, city="Kraljevo", country="Serbia", today=TODAY)
    handovers = {(f["from_stage"], f["to_stage"]) for f in report.missing_handovers}
    assert ("identification", "referral") not in handovers
    partner = next(f for f in report.single_points_of_failure if f["id"] == "csw-sofia")
    assert (partner["name"], partner["country"], partner["city"]) == (
        "Социално подпомагане", "BG", "Sofia"
    )  # fmt: skip
    assert partner["why"].startswith("If Социално подпомагане stops cooperating, nobody")
    indexed = gaps(network, city="Kraljevo", today=TODAY, index=GapIndex.build(network))
    assert indexed.to_json() == report.to_json()


def test_records_not_verified_for_too_long_or_ever_are_stale():
    network = Network.from_records(
        [
            institution("fresh", last_verified="2026-06"),
            institution("old", last_verified="2020"),
            institution("never"),
            Contact(id="c-old", institution_id="fresh", name="Ana", last_verified="2023-01-15"),
        ]
    )
    report = gaps(network, city="Kraljevo", stale_months=24, today=TODAY)
    assert [(f["kind"], f["id"], f["months"]) for f in report.stale] == [
        ("institution", "never", None),
        ("institution", "old", 70),
        ("contact", "c-old", 46),
    ]
    assert "never been verified" in report.stale[0]["why"]
    assert "70 months ago" in report.stale[1]["why"]


def test_an_unknown_city_or_country_lists_what_exists(demo):
    with pytest.raises(NotFound, match="did you mean 'Plovdiv'"):
        gaps(demo, city="Plovdv")
    with pytest.raises(NotFound, match=r"unknown country 'XY' \(in the network: AT, BE"):
        gaps(demo, country="XY")


def test_a_city_given_in_cyrillic_gets_the_same_report_as_in_latin(demo):
    cyrillic = gaps(demo, city="Пловдив", today=TODAY).to_json()
    latin = gaps(demo, city="Plovdiv", today=TODAY).to_json()
    assert cyrillic == latin
    assert cyrillic["scope"] == {
        "level": "city",
        "place": "Plovdiv, BG",
        "country": "BG",
        "city": "Plovdiv",
    }


def test_demo_network_known_gaps(demo):
    plovdiv = gaps(demo, city="Plovdiv", today=TODAY)
    assert {"health", "employment", "education"} <= {f["sector"] for f in plovdiv.missing_sectors}
    assert [f["stage"] for f in plovdiv.missing_stages] == ["return", "social_inclusion"]
    serbia = gaps(demo, country="RS", today=TODAY)
    assert [f["stage"] for f in serbia.missing_stages] == ["return"]
    assert "rs-subotica-csw" in [f["id"] for f in serbia.single_points_of_failure]


def test_gaps_json_has_the_documented_keys_and_is_the_same_twice(demo):
    first = netmap.gaps(demo, today=TODAY).to_json()
    second = gaps(demo, today=TODAY).to_json()
    assert first == second
    for key in (
        "missing_sectors",
        "missing_stages",
        "missing_handovers",
        "single_points_of_failure",
    ):
        assert isinstance(first[key], list)
    assert json.loads(json.dumps(first)) == first
    assert all(finding["why"] for name in first if name != "scope" for finding in first[name])


def test_a_prepared_index_gives_every_place_the_same_report(demo):
    index = GapIndex.build(demo)
    institutions = demo.institutions
    cities = institutions.dropna(subset=["city"])[["city", "country"]].drop_duplicates()
    scopes = [
        {},
        *({"country": code} for code in sorted(set(institutions["country"]))),
        *({"city": city, "country": code} for city, code in cities.itertuples(index=False)),
    ]
    assert len(scopes) > 20
    for scope in scopes:
        alone = gaps(demo, today=TODAY, **scope).to_json()
        assert gaps(demo, today=TODAY, index=index, **scope).to_json() == alone, scope
    for by in ("stage", "sector"):
        for level in ("city", "country"):
            assert coverage(demo, by, level, index=index).equals(coverage(demo, by, level))


def test_coverage_counts_institutions_per_place_and_stage():
    network = Network.from_records(
        local_network("Kraljevo") + [institution("sofia-iom", country="BG", city="Sofia",
                                                 sector="international_organisation")]
    )  # fmt: skip
    by_stage = coverage(network, by="stage", level="city")
    assert list(by_stage.index) == ["Sofia, BG", "Kraljevo, RS"]
    # the police, and the social work centre (its sector usually identifies victims)
    assert by_stage.at["Kraljevo, RS", "identification"] == 2
    assert by_stage.at["Kraljevo, RS", "return"] == 0
    assert by_stage.at["Sofia, BG", "return"] == 1
    by_sector = coverage(network, by="sector", level="country")
    assert by_sector.at["RS", "health"] == 1
    assert list(by_sector.columns)[:2] == ["police", "prosecution"]


def test_cross_border_matrix_counts_ties_between_countries():
    network = Network.from_records(
        local_network("Kraljevo")
        + [
            institution(
                "sofia-iom", country="BG", city="Sofia", sector="international_organisation"
            ),
            tie("kraljevo-csw", "sofia-iom", "case_coordination"),
            tie("sofia-iom", "kraljevo-police", "information_exchange"),
        ]
    )
    matrix = cross_border_matrix(network)
    assert list(matrix.index) == ["BG", "RS"]
    assert matrix.at["BG", "RS"] == matrix.at["RS", "BG"] == 2
    assert matrix.at["RS", "RS"] == 3
