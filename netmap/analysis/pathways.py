"""Referral pathways: the chains of existing ties along which a victim's case can travel.

Paths follow the trust distance of :func:`netmap.graph.trust_distance` (a strong tie is
a short step, a weak one a long step) over the network's own ties, in either direction.
"""

from __future__ import annotations

import itertools
from typing import Any

import networkx as nx

from netmap.analysis.actors import actor_table, in_sentence, short_names, trust_graph
from netmap.errors import NetmapError
from netmap.graph import Places, check_country, check_institution, country_name
from netmap.store.base import Network
from netmap.taxonomy import load_taxonomy


def _chain(path: list[str], names: dict[str, str]) -> str:
    return " → ".join(names.get(node, node) for node in path)


def _hops(n: int) -> str:
    return f"{n} hop" if n == 1 else f"{n} hops"


def pathways(
    network: Network,
    from_id: str | None = None,
    *,
    city: str | None = None,
    graph: nx.Graph | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Return, for each later stage of the referral pathway, the actors a case can reach.

    Parameters
    ----------
    network
        The network snapshot.
    from_id
        The institution that identified the victim. Later stages are those after the first
        stage it carries (all stages when it carries none).
    city
        Instead of ``from_id``: a city (any script). The case starts at the city's actors of
        the first pathway stage (identification), or at all its actors when it has none.
    graph
        A cooperation or institution graph of ``network`` to reuse (built when omitted).
    limit
        At most this many actors per stage (all when None).

    Returns
    -------
    list of dict
        One dict per later stage, in pathway order: ``stage``, ``label``, ``order``,
        ``reachable`` (actors carrying the stage, nearest first, at most ``limit``, each with
        ``institution_id``, ``institution_name``, ``country``, ``city``, ``sector``,
        ``hops``, ``distance`` and ``path``, the chain of institution ids from the start),
        ``actors`` (how many actors of the stage the network has), ``reached`` (how many
        of them can be reached, whatever the ``limit``), ``nearest_hops``
        (None when none is reachable) and ``why`` in words. An actor that carries the
        stage itself appears with 0 hops.

    Raises
    ------
    NotFound
        For an unknown institution or city.
    """
    if (from_id is None) == (city is None):
        raise NetmapError("give either an institution (from_id) or a city, not both")
    taxonomy = load_taxonomy()
    places = Places(network)
    actors = actor_table(network, places)
    column = {name: actors[name].to_dict() for name in actors.columns}
    stages = sorted(taxonomy.stages.values(), key=lambda s: s.order)
    if from_id is not None:
        check_institution(network, from_id)
        sources = [from_id]
        start_name = short_names(network)[from_id]
        carried = column["stages"][from_id]
    else:
        place = places.resolve_one(city)
        local = actors[actors["place"] == place.key]
        if local.empty:
            raise NetmapError(f"no institution is located in {place.label}")
        first = stages[0].key if stages else None
        identifying = [i for i in local.index if first in local.at[i, "stages"]]
        sources = identifying or list(local.index)
        start_name = place.name
        carried = (first,) if identifying else ()
    first_order = min((taxonomy.stages[key].order for key in carried), default=None)
    later = [s for s in stages if first_order is None or s.order > first_order]

    cooperation = trust_graph(network, graph)
    distances, paths = nx.multi_source_dijkstra(cooperation, set(sources), weight="distance")
    names = actors["name"].to_dict()
    short = short_names(network)
    result = []
    for stage in later:
        carriers = [i for i in actors.index if stage.key in column["stages"][i]]
        reached = sorted(
            (i for i in carriers if i in distances),
            key=lambda i: (distances[i], len(paths[i]), i),
        )
        rows = [
            {
                "institution_id": i,
                "institution_name": names[i],
                "country": column["country"][i],
                "city": column["city"][i],
                "sector": column["sector"][i],
                "hops": len(paths[i]) - 1,
                "distance": round(float(distances[i]), 6),
                "path": list(paths[i]),
            }
            for i in (reached if limit is None else reached[:limit])
        ]
        label = stage.label
        if not carriers:
            why = f"The network has no actor of {in_sentence(label)} at all."
        elif not reached:
            why = (
                f"No chain of existing ties leads from {start_name} to any of the "
                f"{len(carriers)} actors of {in_sentence(label)}: a case started there has no "
                f"known route to {in_sentence(label)}."
            )
        elif rows[0]["hops"] == 0:
            why = f"{names[rows[0]['institution_id']]} carries {in_sentence(label)} itself."
        else:
            nearest = rows[0]
            why = (
                f"{len(reached)} of {len(carriers)} actors of {in_sentence(label)} can be reached "
                f"from {start_name}; the nearest is {nearest['institution_name']} "
                f"({_hops(nearest['hops'])}: {_chain(nearest['path'], short)})."
            )
        result.append(
            {
                "stage": stage.key,
                "label": label,
                "order": stage.order,
                "actors": len(carriers),
                "reached": len(reached),
                "nearest_hops": rows[0]["hops"] if rows else None,
                "reachable": rows,
                "why": why,
            }
        )
    return result


def introduction_path(
    network: Network, from_id: str, to_id: str, *, graph: nx.Graph | None = None
) -> list[str]:
    """Return the shortest trust path from ``from_id`` to ``to_id`` as institution ids.

    The path runs through existing ties, shortest by trust distance (strong ties are
    short); it starts with ``from_id`` and ends with ``to_id`` (``[from_id]`` when they
    are the same). Returns ``[]`` when no chain of ties links them.

    Raises :class:`NotFound` for an unknown institution, listing the closest ids.
    """
    check_institution(network, from_id)
    check_institution(network, to_id)
    cooperation = trust_graph(network, graph)
    try:
        return list(nx.dijkstra_path(cooperation, from_id, to_id, weight="distance"))
    except nx.NetworkXNoPath:
        return []


def path_steps(network: Network, path: list[str], *, graph: nx.Graph | None = None) -> list[dict]:
    """Return one dict per step of ``path``: ``from``, ``to``, their names, the ``kinds`` of
    ties between them, the strongest tie's ``strength`` and the tie ids (``ties``)."""
    cooperation = trust_graph(network, graph)
    names = dict(zip(network.institutions["id"], network.institutions["name"], strict=True))
    steps = []
    for a, b in itertools.pairwise(path):
        edge = cooperation[a][b]
        steps.append(
            {
                "from": a,
                "from_name": names.get(a, a),
                "to": b,
                "to_name": names.get(b, b),
                "kinds": list(edge.get("kinds", [])),
                "strength": edge.get("strength"),
                "ties": list(edge.get("ties", [])),
            }
        )
    return steps


def return_pathways(
    network: Network, from_country: str, to_country: str, *, graph: nx.Graph | None = None
) -> list[dict[str, Any]]:
    """Return the routes by which a victim found in ``from_country`` can be handed to
    return and inclusion actors in ``to_country``.

    The targets are the institutions of ``to_country`` that carry the pathway's ``return``
    stage or a later one; each route starts at the nearest institution of
    ``from_country`` and follows existing ties (shortest trust distance).

    Returns
    -------
    list of dict
        One per target, reachable ones first (nearest first), each with
        ``institution_id``, ``institution_name``, ``city``, ``stages``, ``reachable``,
        ``hops`` (None when unreachable), ``path`` (ids from an institution of
        ``from_country`` to the target; ``[]`` when unreachable), ``from_id`` and ``why``.

    Raises
    ------
    NotFound
        For a country with no institution in the network (listing those that have).
    NetmapError
        When both countries are the same, or the pathway model has no ``return`` stage.
    """
    origin = check_country(network, from_country)
    home = check_country(network, to_country)
    if origin == home:
        raise NetmapError("a return pathway links two different countries")
    taxonomy = load_taxonomy()
    if "return" not in taxonomy.stages:
        raise NetmapError("the referral-pathway model has no 'return' stage")
    return_order = taxonomy.stages["return"].order
    wanted = {key for key, stage in taxonomy.stages.items() if stage.order >= return_order}
    actors = actor_table(network)
    column = {name: actors[name].to_dict() for name in actors.columns}
    names = actors["name"].to_dict()
    short = short_names(network)
    sources = set(actors.index[actors["country"] == origin])
    targets = [
        i
        for i in actors.index
        if column["country"][i] == home and wanted & set(column["stages"][i])
    ]
    cooperation = trust_graph(network, graph)
    distances, paths = nx.multi_source_dijkstra(cooperation, sources, weight="distance")
    origin_name, home_name = country_name(origin), country_name(home)
    rows = []
    for target in targets:
        stages = [s for s in column["stages"][target] if s in wanted]
        labels = " and ".join(in_sentence(taxonomy.stages[s].label) for s in stages)
        if target in distances:
            path = list(paths[target])
            why = (
                f"{names[target]} ({labels}) can be reached from {origin_name} in "
                f"{_hops(len(path) - 1)}: {_chain(path, short)}."
            )
            rows.append(
                {
                    "institution_id": target,
                    "institution_name": names[target],
                    "city": column["city"][target],
                    "stages": stages,
                    "reachable": True,
                    "hops": len(path) - 1,
                    "distance": round(float(distances[target]), 6),
                    "path": path,
                    "from_id": path[0],
                    "why": why,
                }
            )
        else:
            rows.append(
                {
                    "institution_id": target,
                    "institution_name": names[target],
                    "city": column["city"][target],
                    "stages": stages,
                    "reachable": False,
                    "hops": None,
                    "distance": None,
                    "path": [],
                    "from_id": None,
                    "why": (
                        f"No chain of existing ties links any actor in {origin_name} to "
                        f"{names[target]} ({labels} in {home_name})."
                    ),
                }
            )
    rows.sort(
        key=lambda r: (
            not r["reachable"],
            r["distance"] or 0.0,
            r["hops"] or 0,
            r["institution_id"],
        )
    )
    return rows
