"""From a store snapshot to networkx graphs of institutions, and the filters on them.

The analysis never talks to a store: it takes the :class:`~netmap.store.base.Network`
snapshot or the graphs built here. Four projections:

- :func:`institution_graph`: every institution a node, every tie an edge (a multigraph
  keyed by tie id), optionally with initiative co-participation as weaker implied ties;
- :func:`cooperation_graph`: one edge per pair of institutions, with a trust distance,
  over the ties that serve a purpose (:data:`TIE_USES`): all of them, those that mean the
  two work together, those a case can travel along, or those worth an introduction;
- :func:`place_graph`: cities or countries as nodes, the number of ties between them as
  edge weight;
- :func:`ego_network`: the neighbourhood of one institution.

Places (cities, countries, their names across scripts) are :mod:`netmap.places`; partial
dates :mod:`netmap.dates`.

Records whose evidence is ``modelled`` (an illustration) are left out of every graph and
analysis unless asked for (:func:`leave_out_modelled`, ``NetworkFilter.include_modelled``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, cast

import networkx as nx
import numpy as np
import pandas as pd

from netmap.codes import country_name
from netmap.dates import active_mask, date_span
from netmap.errors import NetmapError, NotFound
from netmap.model import RECORD_KINDS, RecordKind
from netmap.places import City, Places, cached_name_key, check_country
from netmap.store.base import Network, iter_rows
from netmap.suggestions import not_found
from netmap.taxonomy import load_taxonomy


def check_institution(network: Network, institution_id: str) -> dict[str, Any]:
    """Return the row of institution ``institution_id``; raise :class:`NotFound` if absent."""
    rows = network.institutions
    match = rows[rows["id"] == institution_id]
    if match.empty:
        raise not_found("institution", institution_id, rows["id"])
    return cast(dict[str, Any], match.iloc[0].to_dict())  # a Network's columns are text


# --- filters ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkFilter:
    """Which part of a network to look at; empty fields do not filter.

    Institutions are kept when they match ``countries`` (ISO codes), ``cities`` (names in
    any script) and ``sectors`` (taxonomy keys). Ties are kept when both ends are kept,
    their kind is among ``tie_kinds``, and they are active ``on`` that date (``since <=
    on <= until``; partial dates cover their whole year or month).
    """

    countries: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    tie_kinds: tuple[str, ...] = ()
    on: str | None = None
    include_modelled: bool = False

    @property
    def selects_all(self) -> bool:
        """True when this filter keeps every record but the modelled ones it leaves out."""
        return self == NetworkFilter(include_modelled=self.include_modelled)


def leave_out_modelled(network: Network) -> Network:
    """Return ``network`` without its modelled records (illustrations, not facts), and
    without what refers to a modelled institution or initiative: the ties and contacts of
    a modelled institution, its participations, the participations in a modelled
    initiative. The same network when nothing is modelled.

    An outline has no evidence column and is returned as it is.
    """
    modelled = {
        kind: frame["evidence"].eq("modelled").to_numpy()
        for kind, frame in network.tables.items()
        if "evidence" in frame.columns and len(frame)
    }
    if not any(mask.any() for mask in modelled.values()):
        return network
    tables = {
        kind: frame[~modelled[kind]] if kind in modelled else frame
        for kind, frame in network.tables.items()
    }
    for kind in RECORD_KINDS:
        for column, target in kind.references.items():
            if target not in modelled or not modelled[target].any():
                continue
            gone = set(network.tables[target]["id"][modelled[target]])
            frame = tables[kind]
            if column == "initiative_id" and kind is RecordKind.TIE:
                # a tie made within a modelled initiative stays a tie; it loses the link
                frame = frame.assign(initiative_id=frame["initiative_id"].where(
                    ~frame["initiative_id"].isin(gone), None))  # fmt: skip
            else:
                frame = frame[~frame[column].isin(gone)]
            tables[kind] = frame
    return Network({kind: frame.reset_index(drop=True) for kind, frame in tables.items()})


def filter_network(network: Network, flt: NetworkFilter) -> Network:
    """Return the part of ``network`` that ``flt`` selects, as a new :class:`Network`.

    Contacts and participations follow their institutions; initiatives are kept when a
    kept institution takes part or a kept tie refers to them (and, with ``on``, when they
    run on that date); cities when a kept institution is in them.

    Raises :class:`NotFound` for a country, city, sector or tie kind that neither the
    network nor the taxonomy knows, listing what exists.
    """
    taxonomy = load_taxonomy()
    if not flt.include_modelled:
        network = leave_out_modelled(network)
    if flt.selects_all:
        return network
    institutions = network.institutions
    keep = pd.Series(True, index=institutions.index)
    countries = tuple(check_country(network, c) for c in flt.countries)
    if countries:
        keep &= institutions["country"].isin(countries)
    if flt.cities:
        places = Places(network)
        wanted = {
            city.key
            for name in flt.cities
            for city in places.resolve(name)
            if not countries or city.country in countries
        }
        if not wanted:
            raise NotFound(
                f"none of the cities {', '.join(flt.cities)} is in {', '.join(countries)}"
            )
        keep &= pd.Series(
            [
                places.of(country, city).key in wanted
                for country, city in zip(institutions["country"], institutions["city"], strict=True)
            ],
            index=institutions.index,
        )
    if flt.sectors:
        for sector in flt.sectors:
            if sector not in taxonomy.sectors:
                raise not_found("sector", sector, taxonomy.sectors, listing="one of")
        keep &= institutions["sector"].isin(flt.sectors)
    if flt.on is not None:
        date_span(flt.on)  # refuse a malformed date before filtering anything
    kept_institutions = institutions[keep]
    kept_ids = set(kept_institutions["id"])

    ties = network.ties
    tie_keep = ties["source_id"].isin(kept_ids) & ties["target_id"].isin(kept_ids)
    if flt.tie_kinds:
        for kind in flt.tie_kinds:
            if kind not in taxonomy.tie_kinds:
                raise not_found("tie kind", kind, taxonomy.tie_kinds, listing="one of")
        tie_keep &= ties["kind"].isin(flt.tie_kinds)
    if flt.on is not None:
        tie_keep &= active_mask(ties, "since", "until", flt.on)
    kept_ties = ties[tie_keep]

    participations = network.participations
    kept_participations = participations[participations["institution_id"].isin(kept_ids)]
    initiatives = network.initiatives
    used = set(kept_participations["initiative_id"]) | set(kept_ties["initiative_id"].dropna())
    init_keep = initiatives["id"].isin(used)
    if flt.on is not None:
        init_keep &= active_mask(initiatives, "start", "end", flt.on)
    kept_initiatives = initiatives[init_keep]
    kept_participations = kept_participations[
        kept_participations["initiative_id"].isin(set(kept_initiatives["id"]))
    ]

    contacts = network.contacts
    cities = network.cities
    located = {
        (country, cached_name_key(city))
        for country, city in zip(
            kept_institutions["country"], kept_institutions["city"], strict=True
        )
    }
    city_keep = pd.Series(
        [
            (country, cached_name_key(name)) in located
            for country, name in zip(cities["country"], cities["name"], strict=True)
        ],
        index=cities.index,
        dtype=bool,
    )
    tables = {
        RecordKind.INSTITUTION: kept_institutions,
        RecordKind.TIE: kept_ties,
        RecordKind.CONTACT: contacts[contacts["institution_id"].isin(kept_ids)],
        RecordKind.PARTICIPATION: kept_participations,
        RecordKind.INITIATIVE: kept_initiatives,
        RecordKind.CITY: cities[city_keep],
    }
    return Network({kind: frame.reset_index(drop=True) for kind, frame in tables.items()})


# --- graphs -----------------------------------------------------------------------------


def _attributes(row: dict[str, Any], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in skip and v is not None}


def institution_graph(
    network: Network, flt: NetworkFilter | None = None, implied: bool = False
) -> nx.MultiGraph:
    """Return institutions as nodes and ties as edges (keyed by tie id).

    Every node carries the institution's fields; every edge the tie's fields, including
    ``kind``, ``strength`` (1 weak, 2 working, 3 strong), ``directed`` (referral and
    funding ties run one way), ``evidence`` and ``implied=False``, and what its kind means
    (taxonomy.toml): ``carries_cases`` (a case can travel along it), ``introduces`` (the
    two know each other) and ``works_together`` (either). The graph is undirected so that cooperation metrics see a
    tie from either end; ``source_id`` and ``target_id`` keep the direction where it
    matters.

    With ``flt``, only the part of the network it selects (see :func:`filter_network`);
    without it, the whole network. Either way modelled records are left out unless
    ``flt.include_modelled``. With ``implied``, institutions that take part in the same
    initiative are also linked by a weaker implied tie: key
    ``implied:{initiative_id}:{a}:{b}`` (``a < b``), ``kind="co_participation"``,
    ``implied=True``, ``strength=1``, ``directed=False``; it neither carries cases nor
    introduces (taking part together is shown, not routed over), and ``works_together``
    when the initiative is of a kind whose members work together (not an event).
    """
    network.require_whole("the graph of institutions")
    network = filter_network(network, flt or NetworkFilter())
    taxonomy = load_taxonomy()
    carrying, introducing = taxonomy.case_carrying_tie_kinds, taxonomy.introducing_tie_kinds
    graph: nx.MultiGraph[str] = nx.MultiGraph()
    for row in iter_rows(network.institutions):
        graph.add_node(row["id"], **_attributes(row, ("id",)))
    for row in iter_rows(network.ties):
        graph.add_edge(
            row["source_id"],
            row["target_id"],
            key=row["id"],
            **_attributes(row),
            implied=False,
            carries_cases=row["kind"] in carrying,
            introduces=row["kind"] in introducing,
            works_together=row["kind"] in carrying or row["kind"] in introducing,
        )
    if implied:
        _add_implied_ties(graph, network)
    return graph


def _add_implied_ties(graph: nx.MultiGraph, network: Network) -> None:
    """Link the institutions that take part in the same initiative (funders, hosts and
    supporters do not take part: :attr:`Taxonomy.taking_part_roles`). The link means they
    work together when the initiative is of a kind whose members do (a network, a project,
    a protocol), not when they only attended the same event."""
    taxonomy = load_taxonomy()
    members = shared_initiatives(network, taxonomy.taking_part_roles)
    members = {initiative: [m for m in ids if m in graph] for initiative, ids in members.items()}
    initiatives = network.initiatives
    names = dict(zip(initiatives["id"], initiatives["name"], strict=True))
    kinds = dict(zip(initiatives["id"], initiatives["kind"], strict=True))
    for initiative in sorted(members):
        working = kinds.get(initiative) in taxonomy.working_initiative_kinds
        for a, b in itertools.combinations(sorted(set(members[initiative])), 2):
            graph.add_edge(
                a,
                b,
                key=f"implied:{initiative}:{a}:{b}",
                id=f"implied:{initiative}:{a}:{b}",
                source_id=a,
                target_id=b,
                kind="co_participation",
                implied=True,
                strength=1,
                directed=False,
                carries_cases=False,
                introduces=False,
                works_together=working,
                initiative_id=initiative,
                notes=f"Both take part in {names.get(initiative, initiative)}.",
            )


def shared_initiatives(
    network: Network, roles: frozenset[str] | None = None
) -> dict[str, list[str]]:
    """Return the institutions of each initiative (by initiative id, in participation
    order), counting only participations in one of ``roles`` when given."""
    participations = network.participations
    if roles is not None:
        participations = participations[participations["role"].isin(roles)]
    members: dict[str, list[str]] = {}
    for institution, initiative in zip(
        participations["institution_id"], participations["initiative_id"], strict=True
    ):
        members.setdefault(initiative, []).append(institution)
    return members


def tie_strength(strength: int | None) -> int:
    """Return a tie's strength (1 weak, 2 working, 3 strong); a tie without one is working."""
    return int(strength or 2)


def trust_distance(strength: int) -> float:
    """Return the length of one introduction over a tie of ``strength`` (1, 2 or 3).

    A strong tie (3) costs 1.0, a working tie (2) 1.5 and a weak one (1) 2.0: every
    introduction costs at least one step, so two weak hops (4.0) stay shorter than five
    strong ones (5.0), and a weak hop counts for two strong ones.
    """
    return 1.0 + (3 - max(1, min(3, int(strength)))) / 2


#: What ties a projection keeps: ``all`` of them; ``working`` — those that mean the two
#: work together (they carry cases or introduce; not funding or hosting); ``cases`` —
#: those a victim's case can travel along; ``introductions`` — those worth asking an
#: introduction over (taxonomy.toml says which kinds do what).
TieUse = Literal["all", "working", "cases", "introductions"]
TIE_USES: tuple[TieUse, ...] = ("all", "working", "cases", "introductions")


# The edge attribute (of institution_graph and cooperation_graph) that says a tie serves
# each use.
_FLAG_OF_USE: dict[TieUse, str] = {"working": "works_together", "cases": "carries_cases",
                                   "introductions": "introduces"}  # fmt: skip


def tie_kinds_for(use: TieUse) -> frozenset[str] | None:
    """The tie kinds a projection for ``use`` keeps (None: every kind)."""
    taxonomy = load_taxonomy()
    if use == "all":
        return None
    if use == "working":
        return taxonomy.working_tie_kinds
    if use == "cases":
        return taxonomy.case_carrying_tie_kinds
    if use == "introductions":
        return taxonomy.introducing_tie_kinds
    raise NetmapError(f"unknown use of ties {use!r} (one of: {', '.join(TIE_USES)})")


def serves(data: dict[str, Any], use: TieUse, kinds: frozenset[str] | None) -> bool:
    """True when the edge ``data`` serves ``use`` (``kinds``: :func:`tie_kinds_for`): by
    the edge's flag, or, on a graph built by hand, by its kind(s)."""
    if kinds is None:
        return True
    flag = data.get(_FLAG_OF_USE[use])
    if flag is not None:
        return bool(flag)
    return not kinds.isdisjoint(data.get("kinds") or [data.get("kind")])


def cooperation_graph(multigraph: nx.Graph, use: TieUse = "all") -> nx.Graph:
    """Return one edge per pair of institutions tied for ``use`` (see :data:`TieUse`).

    Nodes (every node of ``multigraph``, in id order) carry the institution's fields. Each
    edge carries ``weight`` (the sum of its ties' strengths), ``strength`` (the strongest
    tie), ``distance`` (:func:`trust_distance` of the strongest tie: strong ties are
    short), ``kinds`` (sorted tie kinds), ``ties`` (sorted tie ids), ``implied`` (True when
    every tie is implied by co-participation) and ``cross_border`` (the two ends are in
    different countries). A graph that is already simple (``nx.Graph``) is aggregated the
    same way.
    """
    kinds = tie_kinds_for(use)
    purposes = {purpose: tie_kinds_for(purpose) for purpose in _FLAG_OF_USE}
    graph: nx.Graph[str] = nx.Graph()
    for node in sorted(multigraph.nodes):
        graph.add_node(node, **multigraph.nodes[node])
    pairs: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = {}
    edges: Iterable[tuple[Any, Any, Any, dict[str, Any]]]
    if isinstance(multigraph, nx.MultiGraph):  # MultiDiGraph too
        edges = multigraph.edges(keys=True, data=True)
    else:
        edges = ((u, v, d.get("id", f"{u}~{v}"), d) for u, v, d in multigraph.edges(data=True))
    for u, v, key, data in edges:
        if not serves(data, use, kinds):
            continue
        pair = (u, v) if u <= v else (v, u)
        pairs.setdefault(pair, []).append((str(key), data))
    for u, v in sorted(pairs):
        ties = pairs[(u, v)]
        strengths = [tie_strength(data.get("strength")) for _, data in ties]
        strongest = max(strengths)
        graph.add_edge(
            u,
            v,
            weight=sum(strengths),
            strength=strongest,
            distance=trust_distance(strongest),
            kinds=sorted({kind for _, data in ties for kind in _kinds_of(data)}),
            ties=sorted(key for key, _ in ties),
            implied=all(bool(data.get("implied")) for _, data in ties),
            cross_border=graph.nodes[u].get("country") != graph.nodes[v].get("country"),
            **{
                flag: any(serves(data, purpose, purposes[purpose]) for _, data in ties)
                for purpose, flag in _FLAG_OF_USE.items()
            },
        )
    return graph


def _kinds_of(data: dict[str, Any]) -> list[str]:
    """The tie kinds an edge stands for: its own, or a simple graph's list of them."""
    return [str(kind) for kind in data.get("kinds") or [data.get("kind")]]


def place_graph(
    network: Network,
    level: Literal["city", "country"] = "city",
    flt: NetworkFilter | None = None,
) -> nx.Graph:
    """Return cities or countries as nodes, linked by the ties between their institutions.

    City nodes are keyed ``"{country}:{city}"`` (``"RS:Niš"``; ``"RS:"`` for institutions
    with no city) and country nodes by the ISO code. Nodes carry ``name``, ``country``,
    ``lat`` and ``lon`` (for a country: the mean of its cities' coordinates; None when
    unknown), ``institutions`` (how many) and ``internal_ties`` (ties within the place).
    Edges carry ``weight`` (the number of ties between the two places), ``kinds`` (sorted)
    and ``cross_border``. Places with no institution are left out, and so are ties with an
    end that is not an institution of the (filtered) network. Nodes come in key order,
    edges in the order of their first tie.
    """
    if level not in ("city", "country"):
        raise NetmapError(f"unknown level {level!r} (one of: city, country)")
    if flt is not None:
        network = filter_network(network, flt)
    places = Places(network)
    keys, first_cities, place_of = _places_of_institutions(network.institutions, places, level)
    nodes = _place_nodes(keys, first_cities, places, level)
    a, b, tie_rows = _ties_between_places(network, place_of)
    internal = a == b
    institutions = np.bincount(place_of, minlength=len(keys)).tolist()
    internal_ties = np.bincount(a[internal], minlength=len(keys)).tolist()
    graph: nx.Graph[str] = nx.Graph()
    for key, attributes, count, within in zip(
        keys, nodes, institutions, internal_ties, strict=True
    ):
        graph.add_node(key, **attributes, institutions=count, internal_ties=within)
    a, b, tie_rows = a[~internal], b[~internal], tie_rows[~internal]
    kinds = network.ties["kind"].to_numpy(dtype=object)[tie_rows]
    lo, hi, weights, pair_kinds = _count_pairs(np.minimum(a, b), np.maximum(a, b), kinds)
    countries = np.array([node["country"] for node in nodes], dtype=object)
    cross_border = (countries[lo] != countries[hi]).tolist()
    graph.add_edges_from(
        (keys[u], keys[v], {"weight": weight, "kinds": names, "cross_border": border})
        for u, v, weight, names, border in zip(
            lo.tolist(), hi.tolist(), weights, pair_kinds, cross_border, strict=True
        )
    )
    return graph


def place_count(
    network: Network,
    level: Literal["city", "country"] = "city",
    flt: NetworkFilter | None = None,
) -> int:
    """Return how many nodes :func:`place_graph` would have, without building it."""
    if flt is not None:
        network = filter_network(network, flt)
    return len(_places_of_institutions(network.institutions, Places(network), level)[0])


def _places_of_institutions(
    institutions: pd.DataFrame, places: Places, level: str
) -> tuple[list[str], dict[str, City], np.ndarray]:
    """Return the keys of the institutions' places (sorted), the city of the first
    institution in each place, and per institution row the index of its place in the keys.

    :meth:`Places.of` is asked once per distinct pair of (country, city) cells, not per row.
    """
    country_codes, distinct_countries = pd.factorize(institutions["country"].to_numpy(dtype=object))
    city_codes, distinct_cities = pd.factorize(institutions["city"].to_numpy(dtype=object))
    # A missing cell (code -1) reads as None, appended last; Places has refused NaN cities.
    countries, cities = [*distinct_countries, None], [*distinct_cities, None]
    country_codes[country_codes < 0] = len(countries) - 1
    city_codes[city_codes < 0] = len(cities) - 1
    pair_codes, pairs = pd.factorize(country_codes * len(cities) + city_codes)
    pair_keys = []
    first_cities: dict[str, City] = {}
    for pair in pairs.tolist():  # in the order of the institutions that first use them
        country, city = countries[pair // len(cities)], cities[pair % len(cities)]
        located = places.of(country, city)
        key = located.key if level == "city" else country
        first_cities.setdefault(key, located)
        pair_keys.append(key)
    keys = sorted(first_cities)
    index = {key: i for i, key in enumerate(keys)}
    pair_places = np.array([index[key] for key in pair_keys], dtype=np.int64)
    return keys, first_cities, pair_places[pair_codes]


def _place_nodes(
    keys: list[str], first_cities: dict[str, City], places: Places, level: str
) -> list[dict[str, Any]]:
    """Return the attributes of each place in ``keys`` but its counts (see place_graph)."""
    if level == "city":
        return [
            {
                "name": city.name,
                "name_local": city.name_local,
                "country": city.country,
                "lat": city.lat,
                "lon": city.lon,
            }
            for city in map(first_cities.__getitem__, keys)
        ]
    located: dict[str, list[tuple[float, float]]] = {}
    for city in places:  # summed in this (sorted) order, city by city
        if city.lat is not None and city.lon is not None:  # a city has both or neither
            located.setdefault(city.country, []).append((city.lat, city.lon))
    nodes = []
    for key in keys:
        points = located.get(key, [])
        nodes.append(
            {
                "name": country_name(key),
                "country": key,
                "lat": sum(lat for lat, _ in points) / len(points) if points else None,
                "lon": sum(lon for _, lon in points) / len(points) if points else None,
            }
        )
    return nodes


def _ties_between_places(
    network: Network, place_of: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return, for every tie whose two ends are institutions of ``network``, the place
    (index into ``place_of``'s keys) of its source and of its target, and the tie's row.

    Ids are matched as text in one pass over all ids and tie ends: with pyarrow installed,
    pandas hashes them as Arrow strings, about twice as fast at a million ties as a hash
    table of Python objects (``pd.Index.get_indexer``).
    """
    ids = network.institutions["id"]
    ties = network.ties
    columns = (ids, ties["source_id"], ties["target_id"])
    ends = pd.concat([column.astype("string") for column in columns], ignore_index=True)
    codes, distinct = pd.factorize(ends)  # a missing id gets code -1
    # The row of the institution with each id (the last, as a dict would keep), -1 for
    # none; the extra last slot answers code -1.
    row_of = np.full(len(distinct) + 1, -1, dtype=np.int64)
    np.maximum.at(row_of, codes[: len(ids)], np.arange(len(ids)))
    source = row_of[codes[len(ids) : len(ids) + len(ties)]]
    target = row_of[codes[len(ids) + len(ties) :]]
    rows = np.flatnonzero((source >= 0) & (target >= 0))
    return place_of[source[rows]], place_of[target[rows]], rows


def _count_pairs(
    lo: np.ndarray, hi: np.ndarray, kinds: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[int], list[list[Any]]]:
    """Return the distinct pairs of places among the ties (``lo[i] < hi[i]`` and ``kinds[i]``
    for tie ``i``) in the order of their first tie: the two places, the number of ties of
    each pair and their kinds (distinct, sorted)."""
    size = int(hi.max(initial=0)) + 1
    pair_codes, pairs = pd.factorize(lo * size + hi)
    weights = np.bincount(pair_codes, minlength=len(pairs)).tolist()
    kind_codes, distinct_names = pd.factorize(kinds)
    # code -1: no kind
    names = [*distinct_names, None] if (kind_codes < 0).any() else list(distinct_names)
    order = sorted(range(len(names)), key=names.__getitem__)
    rank = np.empty(len(names), dtype=np.int64)
    rank[order] = np.arange(len(names))
    # One entry per distinct (pair, kind), sorted by pair and then by kind (np.sort and
    # a diff: np.unique takes many times longer on a million ties).
    many = max(len(names), 1)
    combined = np.sort(pair_codes * many + rank[kind_codes])
    combined = combined[np.diff(combined, prepend=-1) != 0]
    sorted_names = np.array([names[i] for i in order], dtype=object)
    each = sorted_names[combined % many].tolist()
    ends = np.cumsum(np.bincount(combined // many, minlength=len(pairs))).tolist()
    pair_kinds = [each[start:end] for start, end in itertools.pairwise([0, *ends])]
    return pairs // size, pairs % size, weights, pair_kinds


def graph_among(network: Network, ids: Iterable[str]) -> nx.MultiGraph:
    """Return the institutions ``ids`` and the ties among them, as
    :func:`institution_graph` of the whole network would hold them, built from the
    tables alone: a page showing a few institutions need not wait for the graph of a
    million ties (15 s)."""
    network.require_whole("the graph of institutions")
    wanted = set(ids)
    institutions, ties = network.institutions, network.ties
    among = ties["source_id"].isin(wanted) & ties["target_id"].isin(wanted)
    part = {RecordKind.INSTITUTION: institutions[institutions["id"].isin(wanted)],
            RecordKind.TIE: ties[among]}  # fmt: skip
    return institution_graph(Network({**network.tables, **part}))


def ego_graph(network: Network, center: str, radius: int = 1) -> nx.MultiGraph:
    """Return :func:`ego_network` of the whole institution graph, from the tables alone
    (see :func:`graph_among`). Raises :class:`NotFound` when ``center`` is not an
    institution of ``network``."""
    ids = network.institutions["id"]
    if not (ids == center).any():
        raise not_found("institution", center, ids)
    source, target = network.ties["source_id"], network.ties["target_id"]
    reached, frontier = {center}, {center}
    for _ in range(radius):
        touching = source.isin(frontier) | target.isin(frontier)
        frontier = (set(source[touching]) | set(target[touching])) - reached
        if not frontier:
            break
        reached |= frontier
    return graph_among(network, reached)


def ego_network(graph: nx.Graph, center: str, radius: int = 1) -> nx.Graph:
    """Return the institutions within ``radius`` ties of ``center``, and the ties among them.

    Works on any of the graphs above (a multigraph keeps all its ties); ties are followed
    in either direction. Raises :class:`NotFound` when ``center`` is not in ``graph``.
    """
    if center not in graph:
        raise not_found("institution", center, (str(n) for n in graph.nodes))
    # nx.ego_graph(undirected=True) copies the whole graph first (1.5 s at 5,000
    # institutions); a breadth-first search from the centre touches only the neighbourhood.
    around = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    reached = nx.single_source_shortest_path_length(around, center, cutoff=radius)
    return graph.subgraph(reached).copy()
