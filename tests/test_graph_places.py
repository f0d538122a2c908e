"""The graph of places and the date filter give the same answers as a plain tie-by-tie count.

``place_graph`` and ``active_mask`` work on whole columns at once; the references below are
the straightforward loops they replaced (one step per tie, one ``active_on`` per row), kept
here so that every change to the fast versions is checked against them: on the demo network
and on random networks with ties to unknown or filtered-out institutions, institutions
without a city and one city spelled in several scripts.
"""

from __future__ import annotations

import random
from datetime import date, datetime
from typing import Any

import networkx as nx
import pandas as pd
import pytest

from netmap.codes import country_name
from netmap.dates import active_mask, active_on
from netmap.errors import NetmapError
from netmap.graph import (
    NetworkFilter,
    filter_network,
    place_count,
    place_graph,
)
from netmap.model import RecordKind
from netmap.places import Places
from netmap.store.base import Network, iter_rows
from netmap.taxonomy import load_taxonomy

# --- references: the loops the column-wise versions replaced -----------------------------


def reference_place_graph(
    network: Network, level: str = "city", flt: NetworkFilter | None = None
) -> nx.Graph:
    if level not in ("city", "country"):
        raise NetmapError(f"unknown level {level!r} (one of: city, country)")
    if flt is not None:
        network = filter_network(network, flt)
    places = Places(network)
    place_of: dict[str, str] = {}
    graph = nx.Graph()
    nodes: dict[str, dict[str, Any]] = {}
    for row in iter_rows(network.institutions):
        city = places.of(row["country"], row["city"])
        key = city.key if level == "city" else row["country"]
        place_of[row["id"]] = key
        if key not in nodes:
            if level == "city":
                nodes[key] = {
                    "name": city.name,
                    "name_local": city.name_local,
                    "country": city.country,
                    "lat": city.lat,
                    "lon": city.lon,
                    "institutions": 0,
                    "internal_ties": 0,
                }
            else:
                located = [c for c in places if c.country == key and c.lat is not None]
                nodes[key] = {
                    "name": country_name(key),
                    "country": key,
                    "lat": sum(c.lat for c in located) / len(located) if located else None,
                    "lon": sum(c.lon for c in located) / len(located) if located else None,
                    "institutions": 0,
                    "internal_ties": 0,
                }
        nodes[key]["institutions"] += 1
    for key in sorted(nodes):
        graph.add_node(key, **nodes[key])
    for source, target, kind in zip(
        network.ties["source_id"], network.ties["target_id"], network.ties["kind"], strict=True
    ):
        a, b = place_of.get(source), place_of.get(target)
        if a is None or b is None:
            continue
        if a == b:
            graph.nodes[a]["internal_ties"] += 1
            continue
        if graph.has_edge(a, b):
            graph[a][b]["weight"] += 1
            graph[a][b]["kinds"] = sorted({*graph[a][b]["kinds"], kind})
        else:
            graph.add_edge(
                a,
                b,
                weight=1,
                kinds=[kind],
                cross_border=graph.nodes[a]["country"] != graph.nodes[b]["country"],
            )
    return graph


def reference_active_mask(frame: pd.DataFrame, start: str, end: str, on: Any) -> pd.Series:
    return pd.Series(
        [active_on(a, b, on) for a, b in zip(frame[start], frame[end], strict=True)],
        index=frame.index,
        dtype=bool,
    )


def typed(data: dict[str, Any]) -> dict[str, tuple[type, Any]]:
    """Attributes with their types, so that 1, 1.0 and True do not pass for one another."""
    return {key: (type(value), value) for key, value in data.items()}


def assert_same_place_graph(actual: nx.Graph, expected: nx.Graph) -> None:
    assert type(actual) is nx.Graph
    assert [(n, typed(d)) for n, d in actual.nodes(data=True)] == [
        (n, typed(d)) for n, d in expected.nodes(data=True)
    ]

    def edges(graph: nx.Graph) -> dict[tuple[str, str], dict[str, tuple[type, Any]]]:
        return {tuple(sorted((u, v))): typed(d) for u, v, d in graph.edges(data=True)}

    assert edges(actual) == edges(expected)
    assert len(actual.edges) == len(expected.edges)


# --- random networks ----------------------------------------------------------------------

# Per country: the spellings institutions use for their cities (None and "" for no city),
# and the cities table (name, name_local, lat, lon). Niš is written in three scripts and
# two transliterations; Kragujevac is in the table but no institution is there; Prizren
# has no coordinates; no Kosovar city is in the table at all. North Macedonia has enough
# towns that the order in which their coordinates are summed shows in the mean.
SPELLINGS = {
    "RS": ["Niš", "Ниш", "Nis", "NIŠ", "Beograd", "Београд", "Subotica", None, ""],
    "BG": ["Sofia", "София", "Plovdiv", "Пловдив", None],
    "GR": ["Θεσσαλονίκη", "Thessaloniki", "Athens", ""],
    "XK": ["Prishtina", "Prizren", None],
    "MK": [f"Town {n}" for n in range(12)],
}
CITIES = [
    ("Niš", "Ниш", "RS", 43.3209, 21.8958),
    ("Beograd", "Београд", "RS", 44.8125, 20.4612),
    ("Kragujevac", "Крагујевац", "RS", 44.0128, 20.9114),
    ("Sofia", "София", "BG", 42.6977, 23.3219),
    ("Plovdiv", None, "BG", 42.1354, 24.7453),
    ("Thessaloniki", "Θεσσαλονίκη", "GR", 40.6401, 22.9444),
    ("Athens", "Αθήνα", "GR", 37.9838, 23.7275),
    ("Prizren", None, "XK", None, None),
]
DAYS = [None, "2013", "2015", "2019-06", "2020-02", "2020-02-29", "2021-12-31", "2024"]


def random_network(seed: int) -> Network:
    rng = random.Random(seed)
    taxonomy = load_taxonomy()
    sectors, kinds = list(taxonomy.sectors), list(taxonomy.tie_kinds)
    cities = [CITIES[0], *rng.sample(CITIES[1:], k=rng.randint(2, len(CITIES) - 1))]
    if rng.random() < 0.5:  # a second row for Niš, in Latin without the diacritic
        cities.append(("Nis", None, "RS", 43.0, 21.0))
    cities += [
        (f"Town {n}", None, "MK", rng.uniform(41, 42), rng.uniform(20, 23)) for n in range(20)
    ]
    ids = [f"inst-{n:03d}" for n in rng.sample(range(1000), k=rng.randint(len(SPELLINGS), 60))]
    institutions = []
    for n, id in enumerate(ids):  # every country has an institution: filters name them
        country = list(SPELLINGS)[n] if n < len(SPELLINGS) else rng.choice(list(SPELLINGS))
        institutions.append(
            {
                "id": id,
                "name": id,
                "sector": rng.choice(sectors[:6]),
                "country": country,
                "city": rng.choice(SPELLINGS[country]),
            }
        )
    if rng.random() < 0.5:  # one id twice: ties go to its last row, as a dict would keep
        twice = dict(rng.choice(institutions), country="GR", city="Athens")
        institutions.insert(rng.randrange(len(institutions) + 1), twice)
    ends = [*ids, "ghost-1", "ghost-2", None]
    ties = []
    for n in range(rng.randint(0, 400)):
        source = rng.choice(ends) if rng.random() < 0.1 else rng.choice(ids)
        target = rng.choice(ends) if rng.random() < 0.1 else rng.choice(ids)
        ties.append(
            {
                "id": f"tie-{n}",
                "source_id": source,
                "target_id": target,
                "kind": rng.choice(kinds[:5]),
                "strength": rng.randint(1, 3),
                "since": rng.choice(DAYS),
                "until": rng.choice(DAYS),
            }
        )
    return Network.from_rows(
        {
            RecordKind.CITY: [
                {"id": f"city-{n}", "name": a, "name_local": b, "country": c, "lat": x, "lon": y}
                for n, (a, b, c, x, y) in enumerate(cities)
            ],
            RecordKind.INSTITUTION: institutions,
            RecordKind.TIE: ties,
        }
    )


FILTERS = [
    None,
    NetworkFilter(countries=("RS",)),
    NetworkFilter(countries=("RS", "BG")),
    NetworkFilter(cities=("Ниш",)),
    NetworkFilter(sectors=("police", "prosecution", "judiciary")),
    NetworkFilter(tie_kinds=("referral", "protocol")),
    NetworkFilter(on="2020"),
    NetworkFilter(on="2019-06-15", tie_kinds=("mou", "referral", "joint_project")),
]


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("level", ["city", "country"])
def test_places_of_random_networks_count_every_tie_as_the_tie_by_tie_loop_does(seed, level):
    network = random_network(seed)
    for flt in FILTERS:
        assert_same_place_graph(
            place_graph(network, level, flt), reference_place_graph(network, level, flt)
        )


@pytest.mark.parametrize("level", ["city", "country"])
@pytest.mark.parametrize(
    "flt",
    [
        None,
        NetworkFilter(countries=("RS",)),
        NetworkFilter(countries=("GR", "BG")),
        NetworkFilter(cities=("Niš", "Sofia")),
        NetworkFilter(sectors=("police", "civil_society")),
        NetworkFilter(tie_kinds=("referral", "meeting")),
        NetworkFilter(on="2013"),
        NetworkFilter(on="2023-05-05"),
    ],
)
def test_places_of_the_demo_network_count_every_tie_as_the_tie_by_tie_loop_does(
    demo_network, level, flt
):
    actual = place_graph(demo_network, level, flt)
    assert_same_place_graph(actual, reference_place_graph(demo_network, level, flt))


@pytest.mark.parametrize("seed", range(4))
def test_places_are_counted_as_many_as_the_graph_of_places_has(seed, demo_network):
    compared = 0
    for network in (random_network(seed), demo_network, demo_network.outlined()):
        for level in ("city", "country"):
            for flt in [None, *FILTERS]:
                try:
                    expected = reference_place_graph(network, level, flt).number_of_nodes()
                except NetmapError:
                    continue  # a filter naming what this network lacks
                assert place_count(network, level, flt) == expected
                compared += 1
    assert compared >= 2 * len(FILTERS)


def test_the_demo_network_has_ties_within_and_between_places(demo_network):
    # Guards the comparison above against passing on graphs with nothing in them.
    cities = place_graph(demo_network, "city")
    assert cities.number_of_edges() > 5
    assert sum(d["internal_ties"] for _, d in cities.nodes(data=True)) > 5
    assert any(len(d["kinds"]) > 1 for *_, d in cities.edges(data=True))
    assert any(d["cross_border"] for *_, d in cities.edges(data=True))


def test_random_networks_hold_what_the_comparison_is_about():
    # Guards the random comparison: dangling ties, several spellings of Niš, no-city
    # institutions, an id on two rows and pairs of places linked by several kinds occur.
    networks = [random_network(seed) for seed in range(12)]
    ties = pd.concat([n.ties for n in networks])
    institutions = pd.concat([n.institutions for n in networks])
    assert ties["source_id"].isin(["ghost-1", "ghost-2"]).any()
    assert ties["target_id"].isna().any()
    assert {"Niš", "Ниш", "Nis", "NIŠ"} <= set(institutions["city"])
    assert institutions["city"].isna().any() and (institutions["city"] == "").any()
    assert any(n.institutions["id"].duplicated().any() for n in networks)
    graphs = [place_graph(n, "city") for n in networks]
    assert any(len(d["kinds"]) > 1 for g in graphs for *_, d in g.edges(data=True))


def test_one_city_in_three_scripts_is_one_place_named_as_in_the_cities_table():
    network = Network.from_rows(
        {
            RecordKind.CITY: [
                {"name": "Niš", "name_local": "Ниш", "country": "RS", "lat": 43.3, "lon": 21.9}
            ],
            RecordKind.INSTITUTION: [
                {"id": "a", "name": "a", "sector": "police", "country": "RS", "city": "Ниш"},
                {"id": "b", "name": "b", "sector": "police", "country": "RS", "city": "Nis"},
                {"id": "c", "name": "c", "sector": "police", "country": "RS", "city": "Niš"},
                {"id": "d", "name": "d", "sector": "police", "country": "RS", "city": None},
            ],
            RecordKind.TIE: [
                {"id": "ab", "source_id": "a", "target_id": "b", "kind": "referral"},
                {"id": "bc", "source_id": "b", "target_id": "c", "kind": "meeting"},
                {"id": "cd", "source_id": "c", "target_id": "d", "kind": "meeting"},
                {"id": "da", "source_id": "d", "target_id": "a", "kind": "referral"},
                {"id": "ax", "source_id": "a", "target_id": "gone", "kind": "referral"},
            ],
        }
    )
    graph = place_graph(network, "city")
    assert list(graph.nodes(data=True)) == [
        (
            "RS:",
            {
                "name": "Serbia",
                "name_local": None,
                "country": "RS",
                "lat": None,
                "lon": None,
                "institutions": 1,
                "internal_ties": 0,
            },
        ),
        (
            "RS:Niš",
            {
                "name": "Niš",
                "name_local": "Ниш",
                "country": "RS",
                "lat": 43.3,
                "lon": 21.9,
                "institutions": 3,
                "internal_ties": 2,
            },
        ),
    ]
    assert graph.edges["RS:", "RS:Niš"] == {
        "weight": 2,
        "kinds": ["meeting", "referral"],
        "cross_border": False,
    }
    assert_same_place_graph(graph, reference_place_graph(network, "city"))


def test_edges_come_in_the_order_of_their_first_tie(demo_network):
    for level in ("city", "country"):
        actual = place_graph(demo_network, level)
        expected = reference_place_graph(demo_network, level)
        assert list(actual.edges) == list(expected.edges)
        for node in actual:
            assert list(actual.adj[node]) == list(expected.adj[node])


def test_an_empty_network_has_no_places():
    empty = Network.from_rows({})
    for level in ("city", "country"):
        graph = place_graph(empty, level)
        assert graph.number_of_nodes() == graph.number_of_edges() == 0


def test_an_unknown_level_is_refused_with_the_levels_there_are(demo_network):
    with pytest.raises(NetmapError, match=r"unknown level 'region' \(one of: city, country\)"):
        place_graph(demo_network, "region")


# --- active on a date ---------------------------------------------------------------------

ON = ["2013", "2015-01", "2019-06-15", "2020", "2020-02-29", "2024-12", date(2021, 12, 31)]


def random_spans(seed: int, rows: int = 500) -> pd.DataFrame:
    rng = random.Random(seed)
    frame = pd.DataFrame(
        {
            "since": [rng.choice(DAYS) for _ in range(rows)],
            "until": [rng.choice(DAYS) for _ in range(rows)],
        },
        dtype=object,
    )
    # A filtered table keeps the index of the rows it kept.
    return frame.iloc[::2]


@pytest.mark.parametrize("seed", range(6))
def test_the_date_filter_agrees_with_active_on_row_by_row(seed):
    frame = random_spans(seed)
    for on in ON:
        expected = reference_active_mask(frame, "since", "until", on)
        actual = active_mask(frame, "since", "until", on)
        pd.testing.assert_series_equal(actual, expected)
        assert 0 < actual.sum() < len(actual)


def test_the_date_filter_agrees_with_active_on_on_the_demo_network(demo_network):
    for on in ON:
        for frame, start, end in (
            (demo_network.ties, "since", "until"),
            (demo_network.initiatives, "start", "end"),
        ):
            pd.testing.assert_series_equal(
                active_mask(frame, start, end, on), reference_active_mask(frame, start, end, on)
            )


def error_of(function, *args) -> str:
    with pytest.raises(NetmapError) as raised:
        function(*args)
    return str(raised.value)


@pytest.mark.parametrize(
    "since, until",
    [
        (["2020", "2021", "2020-13", "2020"], ["2021", "soon", "2021", "2021-02-30"]),
        (["2020", "bad", "2020", "2020"], ["2021", "worse", "2021", "2021"]),
        (["2020", "2021", "2022", "2023"], [None, None, None, "2024-1"]),
    ],
)
def test_the_first_malformed_date_in_row_order_is_the_one_named(since, until):
    frame = pd.DataFrame({"since": since, "until": until}, dtype=object)
    expected = error_of(reference_active_mask, frame, "since", "until", "2020")
    assert error_of(active_mask, frame, "since", "until", "2020") == expected


def test_a_malformed_date_to_filter_on_is_named():
    frame = random_spans(0)
    expected = error_of(reference_active_mask, frame, "since", "until", "last year")
    assert error_of(active_mask, frame, "since", "until", "last year") == expected
    assert "'last year' is not a date" in expected


def test_dates_that_are_not_text_are_read_as_active_on_reads_them():
    frame = pd.DataFrame(
        {
            "since": [date(2020, 5, 1), "2019", None, 2018],
            "until": [None, date(2020, 1, 1), "2021-03", None],
        },
        dtype=object,
    )
    for on in ON:
        pd.testing.assert_series_equal(
            active_mask(frame, "since", "until", on),
            reference_active_mask(frame, "since", "until", on),
        )
    with_nan = pd.DataFrame({"since": ["2019", float("nan")], "until": [None, None]}, dtype=object)
    expected = error_of(reference_active_mask, with_nan, "since", "until", "2020")
    assert error_of(active_mask, with_nan, "since", "until", "2020") == expected
    with pytest.raises(TypeError):
        reference_active_mask(frame, "since", "until", datetime(2020, 1, 1))
    with pytest.raises(TypeError):
        active_mask(frame, "since", "until", datetime(2020, 1, 1))


def test_an_empty_table_has_no_active_rows():
    empty = pd.DataFrame({"since": [], "until": []}, dtype=object)
    for on in ("2020", "not a date"):
        pd.testing.assert_series_equal(
            active_mask(empty, "since", "until", on),
            reference_active_mask(empty, "since", "until", on),
        )
