"""A commission sees what its referral pathway lacks, and why it matters."""

from __future__ import annotations

import json
import os
from datetime import date
from functools import partial

import builders
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import netmap
from netmap.analysis.gaps import GapIndex, coverage, cross_border_matrix, gaps
from netmap.errors import NotFound
from netmap.model import Contact, Initiative, Participation, Source, slug
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
handovers = [
  { from = "identification", to = "referral" },
  { from = "referral", to = "protection" },
]

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

[local_network.RS]
expected_sectors = ["police", "social_services", "health"]
basis = "the commission's own statutes"
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
    """A local network: police, social work centre, prosecution (and a health centre),
    the centre coordinating cases with each of them."""
    key = slug(city)
    records = [
        institution(f"{key}-police", city=city, level="local"),
        institution(f"{key}-csw", city=city, sector="social_services"),
        institution(f"{key}-prosecution", city=city, sector="prosecution"),
        tie(f"{key}-police", f"{key}-csw", "referral"),
        tie(f"{key}-csw", f"{key}-prosecution", "case_coordination"),
    ]
    if health:
        records += [
            institution(f"{key}-health", city=city, sector="health"),
            tie(f"{key}-csw", f"{key}-health", "case_coordination"),
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
    assert finding["basis"].startswith("seed 002")
    assert (finding["peers_with_it"], finding["peers"]) == (3, 3)
    assert finding["why"].startswith("No health actor is recorded in Kraljevo")
    assert "3 of the 3 other local networks in Serbia have one" in finding["why"]
    # nothing says what the records cover: the absence is only not recorded
    assert finding["grade"] == "not_recorded"
    assert "may exist unrecorded" in finding["why"]
    assert "cannot be referred" not in finding["why"]
    assert not any(f["sector"] == "health" for f in gaps(network, city="Niš").missing_sectors)


def test_no_composition_is_expected_where_no_basis_sets_one():
    """The Serbian composition is not applied to a Bulgarian city."""
    network = Network.from_records(
        [
            institution("plovdiv-police", country="BG", city="Plovdiv", level="local"),
            institution("plovdiv-csw", country="BG", city="Plovdiv", sector="social_services"),
            tie("plovdiv-police", "plovdiv-csw", "referral"),
        ]
    )
    assert gaps(network, city="Plovdiv", today=TODAY).missing_sectors == []


def test_a_stage_no_tie_hands_over_is_reported_until_a_tie_carries_it(own_model):
    police = institution("police")
    shelter = institution("shelter", sector="civil_society", services=["shelter"])
    without = Network.from_records([police, shelter])
    report = gaps(without, city="Kraljevo", today=TODAY)
    handovers = {(f["from_stage"], f["to_stage"]) for f in report.missing_handovers}
    assert ("identification", "referral") in handovers
    finding = next(f for f in report.missing_handovers if f["to_stage"] == "referral")
    assert finding["from_actors"] == ["police"]
    assert "no recorded tie that carries cases links it to an actor of referral" in finding["why"]

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


def test_a_country_with_only_police_misses_the_protection_stage():
    network = Network.from_records([institution("police"), institution("police-2", city="Vranje")])
    report = gaps(network, country="RS", today=TODAY)
    stages = [f["stage"] for f in report.missing_stages]
    assert "protection" in stages and "identification" not in stages
    protection = next(f for f in report.missing_stages if f["stage"] == "protection")
    assert protection["why"].startswith(
        "Immediate protection: no recorded actor in Serbia offers shelter and safe accommodation"
    )
    # a city is asked for its local stages only: safe accommodation may be elsewhere
    city = gaps(network, city="Kraljevo", today=TODAY)
    assert "protection" not in [f["stage"] for f in city.missing_stages]
    assert "assistance" in [f["stage"] for f in city.missing_stages]


def test_return_is_not_a_stage_every_city_or_country_must_hold():
    network = Network.from_records([institution("police"), institution("police-2", city="Vranje")])
    for report in (gaps(network, city="Kraljevo"), gaps(network, country="RS")):
        assert not {"return", "reception"} & {f["stage"] for f in report.missing_stages}


def test_a_collective_record_counts_for_its_sector_but_carries_no_stage():
    network = Network.from_records(
        [
            institution("police", level="local"),
            institution("ngos", sector="civil_society", services=["psychosocial"], collective=True),
        ]
    )
    report = gaps(network, city="Kraljevo", today=TODAY)
    assert "assistance" in [f["stage"] for f in report.missing_stages]
    assert not any(f["sector"] == "civil_society" for f in report.missing_sectors)
    assert report.scope["coverage"]["records"]["collective_institutions"] == 1


def test_a_stage_held_only_by_a_sectors_usual_services_is_said_to_be_assumed():
    network = Network.from_records([institution("police", level="local")])
    assumed = gaps(network, city="Kraljevo", today=TODAY).scope["coverage"]["assumed_only_stages"]
    assert {"place": "Kraljevo, RS", "stage": "identification"} in assumed


def test_the_only_link_of_several_partners_is_a_single_point_of_failure():
    network = Network.from_records(local_network("Kraljevo"))
    report = gaps(network, city="Kraljevo", today=TODAY)
    csw = report.single_points_of_failure[0]
    assert csw["id"] == "kraljevo-csw"
    # Three partners of one each: one of the equal parts stays "the rest of the network"
    # (the first by id), the other two are cut off from it.
    assert csw["cut_off"] == ["kraljevo-police", "kraljevo-prosecution"]
    assert csw["why"].startswith(
        "If kraljevo-csw stops cooperating, 2 partners lose their only recorded link that "
        "carries cases"
    )


def cut_off_by_order(records) -> list[dict[str, list[str]]]:
    """Who each single point of failure cuts off, with the ties in three orders."""
    institutions = [r for r in records if not hasattr(r, "source_id")]
    ties = [r for r in records if hasattr(r, "source_id")]
    found = []
    for order in (ties, ties[::-1], ties[1:] + ties[:1]):
        report = gaps(Network.from_records(institutions + order), city="Kraljevo", today=TODAY)
        found.append({f["id"]: f["cut_off"] for f in report.single_points_of_failure})
    return found


def test_who_is_cut_off_does_not_depend_on_the_order_ties_were_recorded():
    """The same network, its ties listed in another order (another export, another
    import), names the same institutions as cut off; where parts are equal, which stays
    follows from the network alone."""
    star = cut_off_by_order(local_network("Kraljevo"))
    assert (
        star[0]
        == star[1]
        == star[2]
        == {"kraljevo-csw": ["kraljevo-police", "kraljevo-prosecution"]}
    )
    wider = cut_off_by_order(
        local_network("Kraljevo")
        + [
            institution("shelter", sector="civil_society"),
            institution("court", sector="judiciary"),
            tie("kraljevo-prosecution", "court", "case_coordination"),
            tie("kraljevo-health", "shelter", "referral"),
        ]
    )
    assert wider[0] == wider[1] == wider[2]
    # Around the centre: health and the shelter, prosecution and the court, the police.
    # Of the two largest parts the one holding the first block (court, prosecution) stays.
    assert wider[0]["kraljevo-csw"] == ["kraljevo-health", "kraljevo-police", "shelter"]
    assert wider[0]["kraljevo-health"] == ["shelter"]


@st.composite
def case_graphs(draw):
    """Random graphs of up to 16 nodes, sparse enough to have cut points."""
    nodes = draw(st.integers(min_value=1, max_value=16))
    node = st.integers(min_value=0, max_value=nodes - 1)
    pairs = draw(st.lists(st.tuples(node, node), max_size=nodes + 4))
    return nodes, pairs


@settings(max_examples=150, deadline=None, derandomize=bool(os.environ.get("CI")))
@given(case_graphs())
def test_a_cut_point_cuts_off_all_but_the_largest_part_it_leaves(drawn):
    """Against the definition, on random graphs: remove the institution, and every part of
    its component but one of the largest has lost its link."""
    import networkx as nx

    from netmap.analysis import kernels
    from netmap.analysis.gaps import _cut_off
    from netmap.analysis.kernels import PairGraph

    nodes, pairs = drawn
    graph = PairGraph.from_pairs(
        nodes, np.array([a for a, _ in pairs], dtype=np.int64),
        np.array([b for _, b in pairs], dtype=np.int64),
    )  # fmt: skip
    g = graph.to_networkx()
    for engine in kernels.ENGINES:
        found = _cut_off(kernels.biconnected_components(graph, engine), nodes)
        assert sorted(found) == sorted(nx.articulation_points(g))
        for cut, lost in found.items():
            rest = g.subgraph(nx.node_connected_component(g, cut) - {cut})
            parts = sorted(nx.connected_components(rest), key=len, reverse=True)
            assert lost == sorted(lost)
            kept = nx.node_connected_component(g, cut) - {cut} - set(lost)
            assert kept in parts and len(kept) == len(parts[0])
            if len(parts[1]) < len(parts[0]):
                assert kept == parts[0]


def test_a_funder_is_never_a_single_point_of_failure_nor_carries_a_hand_over(own_model):
    """A donor funding both a police unit and a shelter links them in the graph, but no
    case travels through a donor."""
    network = Network.from_records(
        [
            institution("police"),
            institution("csw", sector="social_services", services=["case_management"]),
            institution("donor", sector="international_organisation"),
            tie("donor", "police", "funding"),
            tie("donor", "csw", "funding"),
        ]
    )
    report = gaps(network, city="Kraljevo", today=TODAY)
    assert ("identification", "referral") in {
        (f["from_stage"], f["to_stage"]) for f in report.missing_handovers
    }
    assert "donor" not in [f["id"] for f in report.single_points_of_failure]


def test_a_modelled_tie_is_left_out_unless_asked(own_model):
    police = institution("police")
    csw = institution("csw", sector="social_services", services=["case_management"])
    modelled = tie("police", "csw", "referral", evidence="modelled")
    network = Network.from_records([police, csw, modelled])

    def handovers(**options):
        report = gaps(network, city="Kraljevo", today=TODAY, **options)
        return {(f["from_stage"], f["to_stage"]) for f in report.missing_handovers}, report

    left_out, report = handovers()
    assert ("identification", "referral") in left_out
    assert report.scope["modelled"] == "left out"
    included, report = handovers(include_modelled=True)
    assert ("identification", "referral") not in included
    assert report.scope["modelled"] == "included"
    assert report.scope["coverage"]["evidence"]["modelled"] == 1


def test_the_only_actor_doing_a_hand_over_is_a_single_point_of_failure(own_model):
    network = Network.from_records(
        [
            institution("police"),
            institution("police-2"),
            institution("csw", sector="social_services"),
            tie("police", "csw", "referral"),
            tie("police-2", "csw", "referral"),
            tie("police", "police-2", "case_coordination"),
        ]
    )
    report = gaps(network, city="Kraljevo", today=TODAY)
    csw = next(f for f in report.single_points_of_failure if f["id"] == "csw")
    assert csw["cut_off"] == []
    assert {"place": "Kraljevo, RS", "from_stage": "identification", "to_stage": "referral"} in (
        csw["broken_handovers"]
    )
    assert (
        "nobody recorded would be left to take a case from identification to referral" in csw["why"]
    )


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
    with pytest.raises(NotFound, match=r"unknown country 'XY' \(in the network: BE, BG"):
        gaps(demo, country="XY")


def test_a_city_given_in_cyrillic_gets_the_same_report_as_in_latin(demo):
    cyrillic = gaps(demo, city="Пловдив", today=TODAY).to_json()
    latin = gaps(demo, city="Plovdiv", today=TODAY).to_json()
    assert cyrillic == latin
    scope = cyrillic["scope"]
    assert (scope["level"], scope["place"], scope["country"], scope["city"]) == (
        "city", "Plovdiv, BG", "BG", "Plovdiv",
    )  # fmt: skip


def test_the_demo_gaps_say_what_the_sources_cover(demo):
    """Plovdiv is known from one seminar report: nothing there is absent, only not
    recorded; Bulgaria has no composition of its local networks in the model."""
    plovdiv = gaps(demo, city="Plovdiv", today=TODAY)
    assert plovdiv.missing_sectors == []  # no basis sets a Bulgarian composition
    assert plovdiv.scope["coverage"]["sources"][0]["id"] == "003_693e7ed729dc0b8c.txt"
    for name in ("missing_stages", "missing_handovers", "cross_sector_pairs"):
        assert {f["grade"] for f in getattr(plovdiv, name)} == {"not_recorded"}, name
    assert all("absent" not in f["why"] for f in plovdiv.cross_sector_pairs)
    # The Serbian local networks hold every sector their composition names, the members
    # working together in one network: no sector missing, no pair never working together.
    nis = gaps(demo, city="Niš", today=TODAY)
    assert nis.missing_sectors == [] and nis.cross_sector_pairs == []
    # The project listed the members, not what they do: missing stages are outside it.
    assert {f["grade"] for f in nis.missing_stages} == {"outside_coverage"}
    # Countries present only as funders are not assessed stage by stage.
    network = gaps(demo, today=TODAY)
    skipped = {entry["country"] for entry in network.scope["not_assessed"]}
    assert {"BE", "DE", "RO"} <= skipped
    assert not {f["country"] for f in network.missing_stages} & skipped
    # No cut point or hand-over runs through a funder.
    funders = set(demo.participations["institution_id"][demo.participations["role"] == "funder"])
    assert not funders & {f["id"] for f in network.single_points_of_failure}


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
    assert len(scopes) > 15
    for scope in scopes:
        alone = gaps(demo, today=TODAY, **scope).to_json()
        assert gaps(demo, today=TODAY, index=index, **scope).to_json() == alone, scope
    for by in ("stage", "sector"):
        for level in ("city", "country"):
            assert coverage(demo, by, level, index=index).equals(coverage(demo, by, level))


def test_coverage_counts_institutions_per_place_and_stage():
    network = Network.from_records(
        local_network("Kraljevo") + [institution("sofia-iom", country="BG", city="Sofia",
                                                 sector="international_organisation",
                                                 services=["repatriation"])]
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


# --- what the sources cover: "not recorded" is not "absent" ---------------------------------


def seminar_city(*, source: Source, members=("police", "prosecution")):
    """A Bulgarian city known only through one source: its institutions cite it."""
    records = [source]
    for sector in members:
        records.append(
            institution(f"plovdiv-{sector}", country="BG", city="Plovdiv", sector=sector,
                        level="local", source=source.id)
        )  # fmt: skip
    records.append(
        tie("plovdiv-police", "plovdiv-prosecution", "case_coordination", source=source.id)
    )
    return records


def test_a_scope_known_from_one_seminar_list_grades_its_sector_gaps_as_not_recorded():
    seminar = Source(
        id="seminar-2017", title="Regional seminar, Velingrad", countries=["BG"],
        cities=["Plovdiv"], covers=["participants"],
    )  # fmt: skip
    network = Network.from_records(
        seminar_city(source=seminar)
        + [
            institution(f"{city}-{sector}", country="BG", city=city, sector=sector, level="local")
            for city in ("Sofia", "Varna", "Burgas")
            for sector in ("police", "health")
        ]
    )
    report = gaps(network, city="Plovdiv", today=TODAY)
    health = next(f for f in report.missing_sectors if f["sector"] == "health")
    assert health["grade"] == "not_recorded"
    assert health["sources"] == ["seminar-2017"]
    assert "«Regional seminar, Velingrad» could have mentioned one" in health["why"]
    coverage_ = report.scope["coverage"]
    assert coverage_["sources"] == [
        {"id": "seminar-2017", "title": "Regional seminar, Velingrad", "about": None,
         "covers": ["participants"], "sectors": [], "complete": [], "records": 3},
    ]  # fmt: skip
    assert coverage_["records"]["institutions"] == 2


def test_a_complete_directory_confirms_an_absence():
    directory = Source(
        id="statutes", title="Statutes of the local commission", countries=["BG"],
        cities=["Plovdiv"], covers=["members"], complete=True,
    )  # fmt: skip
    network = Network.from_records(
        seminar_city(source=directory)
        + [
            institution(f"{city}-{sector}", country="BG", city=city, sector=sector, level="local")
            for city in ("Sofia", "Varna")
            for sector in ("police", "health")
        ]
    )
    health = next(
        f for f in gaps(network, city="Plovdiv", today=TODAY).missing_sectors
        if f["sector"] == "health"
    )  # fmt: skip
    assert health["grade"] == "confirmed"
    assert health["grade_label"] == "confirmed by a source"
    assert "claims to list every health actor there" in health["why"]


def test_a_gap_in_what_no_source_was_about_is_outside_their_coverage():
    members = Source(
        id="members", title="Members of the local network", countries=["BG"],
        cities=["Plovdiv"], covers=["members"], complete=True,
    )  # fmt: skip
    network = Network.from_records(seminar_city(source=members))
    stages = gaps(network, city="Plovdiv", today=TODAY).missing_stages
    assistance = next(f for f in stages if f["stage"] == "assistance")
    assert assistance["grade"] == "outside_coverage"
    assert "was not about services" in assistance["why"]


def test_taking_part_in_the_same_network_counts_as_working_together():
    network = Network.from_records(
        [
            institution("police", level="local"),
            institution("health", sector="health"),
            Initiative(id="local-network", name="Local network of Kraljevo", kind="network"),
            Participation(institution_id="police", initiative_id="local-network", role="member"),
            Participation(institution_id="health", initiative_id="local-network", role="member"),
        ]
    )
    pairs = gaps(network, city="Kraljevo", today=TODAY).cross_sector_pairs
    assert not any(set(f["sectors"]) == {"police", "health"} for f in pairs)
    # attending one event does not
    event = Network.from_records(
        [
            institution("police", level="local"),
            institution("health", sector="health"),
            Initiative(id="seminar", name="Seminar", kind="event"),
            Participation(institution_id="police", initiative_id="seminar"),
            Participation(institution_id="health", initiative_id="seminar"),
        ]
    )
    pairs = gaps(event, city="Kraljevo", today=TODAY).cross_sector_pairs
    assert any(set(f["sectors"]) == {"police", "health"} for f in pairs)


def test_a_country_present_only_as_a_funder_or_a_seat_is_not_assessed():
    network = Network.from_records(
        local_network("Kraljevo")
        + [
            institution("eu", country="BE", city="Brussels", sector="international_organisation",
                        kind="international", level="international"),
            institution("icmpd", country="AT", city="Vienna", sector="international_organisation",
                        kind="international", level="international"),
            tie("eu", "kraljevo-csw", "funding"),
            tie("icmpd", "kraljevo-csw", "joint_training"),
        ]
    )  # fmt: skip
    report = gaps(network, today=TODAY)
    skipped = {entry["country"]: entry["why"] for entry in report.scope["not_assessed"]}
    assert "only as a funder" in skipped["BE"]
    assert "only as the seat of an international organisation" in skipped["AT"]
    assert not {f["country"] for f in report.missing_stages} & {"AT", "BE"}
    belgium = gaps(network, country="BE", today=TODAY)
    assert belgium.scope["assessed"] is False and belgium.missing_stages == []


def test_countries_that_work_together_without_a_return_route_are_named():
    bulgaria = [
        institution("sofia-ngo", country="BG", city="Sofia", sector="civil_society",
                    services=["reception", "reintegration"]),
        institution("sofia-police", country="BG", city="Sofia"),
    ]  # fmt: skip
    greece = [
        institution("athens-ngo", country="GR", city="Athens", sector="civil_society",
                    services=["repatriation"]),
        institution("athens-police", country="GR", city="Athens"),
    ]  # fmt: skip
    met = Network.from_records([*bulgaria, *greece, tie("athens-ngo", "sofia-ngo", "meeting")])
    [finding] = gaps(met, today=TODAY).missing_return_ties
    assert finding["countries"] == ["BG", "GR"]
    assert "no recorded route home" in finding["why"]
    routed = Network.from_records(
        [*bulgaria, *greece, tie("athens-ngo", "sofia-ngo", "case_coordination")]
    )
    assert gaps(routed, today=TODAY).missing_return_ties == []
