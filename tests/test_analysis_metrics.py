"""A researcher learns who holds the network together, who brokers, and who is alone."""

from __future__ import annotations

import json

import pytest
from builders import institution, tie

import netmap
from netmap.analysis.metrics import METRIC_STEPS, NetworkMetrics, metrics
from netmap.graph import institution_graph
from netmap.store.base import Network


@pytest.fixture
def demo(demo_network):
    return demo_network


@pytest.fixture
def two_countries():
    """A Serbian and a Bulgarian triangle joined by one tie, and an NGO with no tie."""
    return Network.from_records(
        [
            institution("r1", sector="social_services"),
            institution("r2"),
            institution("r3", sector="health"),
            institution("g1", country="BG", city="Sofia", sector="civil_society"),
            institution("g2", country="BG", city="Sofia"),
            institution("g3", country="BG", city="Sofia", sector="child_protection"),
            institution("lonely-ngo", country="BG", city="Sofia", sector="civil_society"),
            *(
                tie(a, b, "case_coordination")
                for a, b in (("r1", "r2"), ("r2", "r3"), ("r1", "r3"))
            ),
            *(tie(a, b, "referral") for a, b in (("g1", "g2"), ("g2", "g3"), ("g1", "g3"))),
            tie("r1", "g1", "case_coordination"),
        ]
    )


def test_an_institution_holding_two_groups_together_is_an_articulation_point():
    network = Network.from_records(
        [
            institution("hub", sector="social_services"),
            *(institution(i) for i in ("a1", "a2", "b1", "b2")),
            *(
                tie(a, b, "referral")
                for a, b in (("a1", "a2"), ("a1", "hub"), ("a2", "hub"), ("b1", "b2"))
            ),
            tie("b1", "hub", "case_coordination"),
            tie("b2", "hub", "case_coordination"),
        ]
    )
    result = metrics(institution_graph(network))
    assert result.articulation_points == ["hub"]
    assert result.bridges == []
    assert bool(result.nodes.at["hub", "articulation"]) is True
    assert result.nodes["betweenness"].idxmax() == "hub"


def test_a_funder_linking_two_groups_is_no_cut_point_broker_or_bridge():
    """A donor funds two groups that have no tie between them: no case can travel through
    a donor, so it holds nothing together and brokers nothing."""
    network = Network.from_records(
        [
            institution(
                "donor", country="BE", city="Brussels", sector="international_organisation"
            ),
            *(institution(i) for i in ("a1", "a2", "b1", "b2")),
            tie("a1", "a2", "referral"),
            tie("b1", "b2", "referral"),
            tie("donor", "a1", "funding"),
            tie("donor", "b1", "funding"),
        ]
    )
    result = metrics(institution_graph(network))
    assert "donor" not in result.articulation_points
    assert not any("donor" in pair for pair in result.bridges)
    assert "donor" not in result.brokers.index
    assert result.nodes.at["donor", "betweenness"] == 0
    assert result.nodes.at["donor", "degree"] == 0  # funding is not working together
    assert result.to_json()["ties_used"]["betweenness"] == "cases"


def test_a_meeting_makes_partners_but_not_a_route_for_cases():
    network = Network.from_records(
        [
            *(institution(i) for i in ("a", "b", "c")),
            tie("a", "b", "meeting"),
            tie("b", "c", "meeting"),
        ]
    )
    result = metrics(institution_graph(network))
    assert result.nodes.at["b", "degree"] == 2
    assert result.articulation_points == [] and result.bridges == []
    assert (result.working_ties, result.case_ties) == (2, 0)


def test_the_only_tie_between_two_countries_is_a_bridge(two_countries):
    result = metrics(institution_graph(two_countries))
    assert result.bridges == [("g1", "r1")]
    assert result.articulation_points == ["g1", "r1"]
    assert result.cross_border_share == {"BG": 0.25, "RS": 0.25}


def test_an_ngo_with_no_tie_is_isolated(two_countries):
    result = metrics(institution_graph(two_countries))
    assert result.isolated == ["lonely-ngo"]
    assert result.nodes.at["lonely-ngo", "degree"] == 0


def test_communities_are_largest_first_with_sorted_members(two_countries):
    result = metrics(institution_graph(two_countries))
    assert result.communities == [["g1", "g2", "g3"], ["r1", "r2", "r3"], ["lonely-ngo"]]
    assert result.nodes.at["r2", "community"] == 1


def test_a_broker_between_countries_says_why(two_countries):
    result = metrics(institution_graph(two_countries))
    assert result.nodes.at["r1", "country_brokerage"] == 2
    assert "r1" in result.brokers.index
    why = result.brokers.at["r1", "why"]
    assert "2 pairs of partners from different countries" in why
    assert "Bulgaria" in why


def test_small_networks_get_exact_betweenness_and_say_so(two_countries):
    result = metrics(institution_graph(two_countries))
    assert result.betweenness_exact is True
    assert "Exact" in result.betweenness_note


def test_large_networks_get_sampled_betweenness_seeded_and_say_so(demo, monkeypatch):
    monkeypatch.setattr("netmap.analysis.metrics.EXACT_BETWEENNESS_LIMIT", 50)
    first = metrics(institution_graph(demo), seed=7)
    second = metrics(institution_graph(demo), seed=7)
    assert first.betweenness_exact is False
    assert "estimated" in first.betweenness_note and "seed 7" in first.betweenness_note
    assert first.to_json()["betweenness"] == second.to_json()["betweenness"]


def test_demo_network_known_answers(demo):
    """The only ties that carry cases in the demo are the special action's protocol among
    its five signatories: a closed circle, with no cut point, bridge or broker. The EU,
    which funds three of the initiatives, holds nothing together."""
    result = metrics(institution_graph(demo))
    assert isinstance(result, NetworkMetrics)
    assert (result.case_ties, result.articulation_points, result.bridges) == (10, [], [])
    assert result.brokers.empty
    assert result.nodes.at["be-brussels-european-union", "degree"] == 0
    assert "be-brussels-european-union" in result.isolated
    assert result.nodes.loc["rs-nis-csw", ["name", "country", "sector"]].tolist() == [
        "Centre for social work in Niš",
        "RS",
        "social_services",
    ]
    assert sum(len(c) for c in result.communities) == len(demo.institutions)


def test_metrics_json_has_the_documented_keys_and_is_plain_json(demo):
    data = metrics(institution_graph(demo)).to_json()
    for key in (
        "articulation_points", "bridges", "isolated", "communities", "betweenness",
        "ties_used", "case_ties", "working_ties",
    ):  # fmt: skip
        assert key in data
    assert json.loads(json.dumps(data)) == data
    assert len(data["betweenness"]) == len(demo.institutions)


def test_the_same_network_gives_the_same_metrics_twice(demo):
    first = metrics(institution_graph(demo)).to_json()
    second = metrics(institution_graph(demo)).to_json()
    assert first == second


def test_metrics_is_exported_for_notebooks(two_countries):
    result = netmap.metrics(institution_graph(two_countries))
    assert result.isolated == ["lonely-ngo"]


def test_progress_hears_every_step_in_order_then_done(two_countries):
    heard = []
    metrics(
        institution_graph(two_countries),
        progress=lambda done, total, step: heard.append((done, total, step)),
    )
    steps = list(METRIC_STEPS)
    assert heard == [(i, len(steps), step) for i, step in enumerate(steps)] + [
        (len(steps), len(steps), "")
    ]


def random_network(seed: int, size: int = 160) -> Network:
    """Institutions in three countries and several sectors, ties of every kind (parallel
    ones, both directions, funding too), initiatives of working and non-working kinds."""
    import random

    from netmap.model import Initiative, Participation

    rng = random.Random(seed)
    places = [("RS", "Niš"), ("RS", "Kraljevo"), ("BG", "Sofia"), ("GR", "Athens")]
    sectors = ["police", "social_services", "health", "civil_society", "prosecution"]
    kinds = ["referral", "case_coordination", "protocol", "coordination", "meeting", "funding"]
    ids = [f"i{n:03d}" for n in range(size)]
    records: list = []
    for i in ids:
        country, city = rng.choice(places)
        records.append(institution(i, country=country, city=city, sector=rng.choice(sectors)))
    for number in range(size * 2):
        a, b = rng.sample(ids, 2)
        if rng.random() < 0.7:  # mostly local, as in the real networks
            b = ids[min(size - 1, ids.index(a) + rng.randint(1, 6))]
        if a != b:
            kind = rng.choice(kinds)
            records.append(tie(a, b, kind, strength=rng.choice([1, 2, 3]), id=f"t{number}-{kind}"))
    for number, kind in enumerate(["network", "event", "project"]):
        records.append(Initiative(id=f"init{number}", name=f"Initiative {number}", kind=kind))
        for member in rng.sample(ids, 6):
            records.append(
                Participation(institution_id=member, initiative_id=f"init{number}", role="member")
            )
    return Network.from_records(records)


@pytest.mark.parametrize("implied", [False, True])
@pytest.mark.parametrize("sampled", [False, True])
def test_the_metrics_of_a_snapshot_are_those_of_its_graph(monkeypatch, implied, sampled):
    """The command line measures the snapshot's tables without building the graph of
    institutions: every figure is the one the graph gives."""
    from netmap.analysis.metrics import network_metrics
    from netmap.graph import NetworkFilter

    if sampled:
        monkeypatch.setattr("netmap.analysis.metrics.EXACT_BETWEENNESS_LIMIT", 50)
    network = random_network(3)
    for flt in (None, NetworkFilter(countries=("RS", "BG"))):
        from_graph = metrics(institution_graph(network, flt, implied=implied), seed=5)
        from_tables = network_metrics(network, flt, implied=implied, seed=5)
        assert from_tables.to_json() == from_graph.to_json()
        assert from_tables.betweenness_exact is not sampled
        assert from_tables.case_ties > 20 and from_tables.articulation_points


@pytest.mark.parametrize("sampled", [False, True])
def test_networkx_alone_gives_the_same_metrics(monkeypatch, sampled):
    """Without igraph (or with NETMAP_GRAPH_ENGINE=networkx) every figure is the same but
    the communities (Louvain there, Leiden on igraph) and PageRank's last digits."""
    import numpy as np

    pytest.importorskip("igraph")
    if sampled:
        monkeypatch.setattr("netmap.analysis.metrics.EXACT_BETWEENNESS_LIMIT", 50)
    graph = institution_graph(random_network(4), implied=True)
    monkeypatch.setenv("NETMAP_GRAPH_ENGINE", "networkx")
    slow = metrics(graph, seed=9)
    monkeypatch.setenv("NETMAP_GRAPH_ENGINE", "igraph")
    fast = metrics(graph, seed=9)
    assert slow.engine.startswith("networkx ") and fast.engine.startswith("igraph ")
    assert np.allclose(slow.nodes["pagerank"], fast.nodes["pagerank"], rtol=1e-6, atol=0)
    assert np.allclose(slow.nodes["betweenness"], fast.nodes["betweenness"], rtol=1e-9, atol=1e-15)
    different = {"engine", "betweenness_note", "communities", "community", "pagerank",
                 "betweenness", "brokers"}  # fmt: skip
    same = {key: value for key, value in slow.to_json().items() if key not in different}
    assert same == {key: value for key, value in fast.to_json().items() if key not in different}
    columns = ["name", "sector_brokerage", "country_brokerage", "why"]
    assert slow.brokers[columns].sort_index().equals(fast.brokers[columns].sort_index())
    assert slow.articulation_points and slow.bridges and len(slow.brokers)


@pytest.mark.parametrize(("seed", "wedges"), [(1, 4_000_000), (2, 4_000_000), (3, 7)])
def test_brokers_shares_and_counts_are_what_their_definitions_say(monkeypatch, seed, wedges):
    """The metrics count brokerage, cross-border shares and reciprocity with arrays, a
    few million wedges (pairs of one institution's partners) at a time, or 7 here; here
    each is worked out the plain way, pair by pair, on the graph of institutions."""
    monkeypatch.setattr("netmap.analysis.metrics._WEDGES_PER_ROUND", wedges)
    import itertools
    from collections import Counter

    import networkx as nx

    from netmap.analysis.actors import in_sentence
    from netmap.codes import country_name
    from netmap.graph import cooperation_graph
    from netmap.taxonomy import load_taxonomy

    graph = institution_graph(random_network(seed), implied=True)
    result = metrics(graph)
    cases = cooperation_graph(graph, "cases")
    sectors = {key: in_sentence(label) for key, label in load_taxonomy().sectors.items()}
    labels = {"countries": country_name, "sectors": sectors.__getitem__}
    for node in cases.nodes:
        reasons = []
        for kind, attribute in (("countries", "country"), ("sectors", "sector")):
            brokered, spread = 0, Counter()
            for p, q in itertools.combinations(sorted(cases.adj[node]), 2):
                vp, vq = cases.nodes[p][attribute], cases.nodes[q][attribute]
                if vp != vq and not cases.has_edge(p, q):
                    brokered += 1
                    spread.update([vp, vq])
            assert result.nodes.at[node, f"{attribute}_brokerage"] == brokered
            if brokered:
                top = [
                    labels[kind](v) for v, _ in sorted(spread.items(), key=lambda i: (-i[1], i[0]))
                ]
                shown = ", ".join(top[:4]) + (" and others" if len(top) > 4 else "")
                reasons.append(
                    f"links {brokered:,} {'pair' if brokered == 1 else 'pairs'} of partners from "
                    f"different {kind} ({shown}) that have no case-carrying tie of their own"
                )
        if reasons:
            why = f"{graph.nodes[node]['name']} " + "; and ".join(reasons) + "."
            assert result.brokers.at[node, "why"] == why
        else:
            assert node not in result.brokers.index
    working = cooperation_graph(graph, "working")
    assert result.nodes["degree"].to_dict() == dict(working.degree)
    assert result.density == pytest.approx(nx.density(working))
    total, crossing, directed = Counter(), Counter(), set()
    for u, v, data in graph.edges(data=True):
        if not data["works_together"]:
            continue
        a, b = graph.nodes[u]["country"], graph.nodes[v]["country"]
        for country in {a, b}:
            total[country] += 1
            crossing[country] += a != b
        if data.get("directed"):
            directed.add((data["source_id"], data["target_id"]))
    assert result.cross_border_share == pytest.approx(
        {country: crossing[country] / total[country] for country in total}
    )
    assert list(result.cross_border_share) == sorted(total)
    returned = sum((b, a) in directed for a, b in directed)
    assert result.reciprocity == pytest.approx(returned / len(directed))
    assert len(result.brokers) > 10
