"""Referral pathways: the chains of recorded ties along which a victim's case can travel,
and the chains of partners who can introduce one institution to another.

A case travels only along ties that carry cases (referral, case coordination, a protocol
with referral duties, a joint operation: ``carries_cases`` in taxonomy.toml); funding,
hosting, meetings and trainings do not hand a case over. An introduction travels along
ties whose two ends know each other (``introduces``). Paths follow the trust distance of
:func:`netmap.graph.trust_distance` (a strong tie is a short step, a weak one a long
step), in either direction. Modelled records are left out unless asked for.

Which stages a case goes through depends on the victim (``data/pathway.toml``): a child
also needs the child-protection authority notified, a guardian and a best-interests
determination; a person identified outside their country of origin may return, handed
over by a return actor of the country where they are to a reception actor at home, where
their social inclusion then takes place. A person identified in their own country is not
asked for return.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any, cast

import networkx as nx
import pandas as pd

from netmap.analysis.actors import actor_table, in_sentence, path_graph, short_names
from netmap.codes import country_name
from netmap.errors import NetmapError
from netmap.graph import check_institution, leave_out_modelled
from netmap.i18n import format_list, gettext, ngettext
from netmap.places import Places, check_country
from netmap.store.base import Network
from netmap.taxonomy import Handover, Stage, Taxonomy, load_taxonomy


def _by_id(actors: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Each column of ``actors`` as a dict keyed by institution id (the table's index):
    looked up per institution in the loops below, much quicker than ``DataFrame.at``."""
    return {str(name): cast(dict[str, Any], actors[name].to_dict()) for name in actors.columns}


def _nearest(
    graph: nx.Graph, sources: Iterable[str]
) -> tuple[dict[str, float], dict[str, list[str]]]:
    """The trust distance to every institution a path on ``graph`` reaches from the
    nearest of ``sources``, and that path."""
    found = nx.multi_source_dijkstra(graph, set(sources), weight="distance")
    # Without a target networkx returns these two dicts; its stubs do not tell the cases.
    return cast(tuple[dict[str, float], dict[str, list[str]]], found)


def _chain(path: list[str], names: dict[str, str]) -> str:
    return " → ".join(names.get(node, node) for node in path)


def _hops(n: int) -> str:
    return ngettext("%(count)d hop", "%(count)d hops", n) % {"count": n}


def _return_handovers(taxonomy: Taxonomy) -> list[Handover]:
    return [handover for handover in taxonomy.handovers if handover.across_border]


def victim_course(taxonomy: Taxonomy, *, child: bool, abroad: bool) -> list[Stage]:
    """The stages a case of this kind of victim goes through, in order (the needs at every
    stage, such as interpretation, left out)."""
    return [
        stage
        for stage in sorted(taxonomy.stages.values(), key=lambda s: (s.order, s.key))
        if not stage.cross_cutting and stage.applies_to(child=child, abroad=abroad)
    ]


def _home_from(taxonomy: Taxonomy) -> int | None:
    """The order from which a returned victim's stages take place at home: that of the
    first stage receiving an across-border hand-over (reception)."""
    received = [taxonomy.stages[h.to_stage].order for h in _return_handovers(taxonomy)]
    return min(received, default=None)


def pathways(
    network: Network,
    from_id: str | None = None,
    *,
    city: str | None = None,
    child: bool = False,
    origin: str | None = None,
    graph: nx.Graph | None = None,
    limit: int | None = None,
    include_modelled: bool = False,
) -> list[dict[str, Any]]:
    """Return, for each later stage of a victim's course, the actors a case can reach.

    Parameters
    ----------
    network
        The network snapshot.
    from_id
        The institution that identified the victim. Later stages are those after the first
        stage of the course it carries (all of them when it carries none).
    city
        Instead of ``from_id``: a city (any script). The case starts at the city's actors of
        the first stage (identification), or at all its actors when it has none.
    child
        The victim is a child: the course includes the child-protection stages.
    origin
        The victim's country of origin (ISO code or English name), when it is not the
        country where they were identified: the course then includes return, handed over
        to reception in ``origin``, where the later stages (social inclusion) take place.
    graph
        An institution graph of ``network`` to reuse (built when omitted).
    limit
        At most this many actors per stage (all when None).
    include_modelled
        Count modelled records (illustrations) too.

    Returns
    -------
    list of dict
        First the needs at every stage (``cross_cutting`` true; interpretation), then one
        dict per later stage of the course, in order: ``stage``, ``label``, ``order``,
        ``cross_cutting``, ``country`` (where the stage is looked for: the country where
        the victim is, or ``origin`` from reception on), ``reachable`` (actors carrying the
        stage there, nearest first, at most ``limit``, each with ``institution_id``,
        ``institution_name``, ``country``, ``city``, ``sector``, ``services_known_as``
        — ``assumed`` when only its sector's usual services say it carries the stage —,
        ``hops``, ``distance`` and ``path``, the chain of institution ids from the start),
        ``actors`` (how many actors of the stage that country has), ``reached`` (how many
        of them the case can reach, whatever the ``limit``), ``nearest_hops`` (None when
        none is reachable) and ``why`` in words. An actor that carries the stage itself
        appears with 0 hops. Collective records ("the NGOs of X") are never actors.

    Raises
    ------
    NotFound
        For an unknown institution, city or country.
    """
    if (from_id is None) == (city is None):
        raise NetmapError(gettext("give either an institution (from_id) or a city, not both"))
    if not include_modelled:
        network = leave_out_modelled(network)
    taxonomy = load_taxonomy()
    places = Places(network)
    actors = actor_table(network, places)
    column = _by_id(actors)
    if from_id is not None:
        check_institution(network, from_id)
        sources = [from_id]
        start_name = short_names(network)[from_id]
        here = column["country"][from_id]
        carried = set(column["stages"][from_id])
    else:
        assert city is not None  # exactly one of from_id and city: checked above
        place = places.resolve_one(city)
        local = actors[actors["place"] == place.key]
        if local.empty:
            raise NetmapError(
                gettext("no institution is located in %(place)s") % {"place": place.label}
            )
        first = victim_course(taxonomy, child=child, abroad=False)[0].key
        identifying = [i for i in local.index if first in column["stages"][i]]
        sources = identifying or list(local.index)
        start_name = place.name
        here = place.country
        carried = {first} if identifying else set()
    home = check_country(network, origin) if origin is not None else here
    abroad = home != here
    course = victim_course(taxonomy, child=child, abroad=abroad)
    started = min((s.order for s in course if s.key in carried), default=None)
    later = [s for s in course if started is None or s.order > started]
    needs = [s for s in taxonomy.ordered_stages() if s.cross_cutting]
    home_from = _home_from(taxonomy) if abroad else None

    cases = path_graph(network, "cases", graph)
    distances, paths = _nearest(cases, sources)
    names = column["name"]
    short = short_names(network)
    result = []
    for stage in [*needs, *later]:
        country = home if home_from is not None and stage.order >= home_from else here
        result.append(
            _stage_reach(
                stage,
                country,
                actors,
                column,
                distances,
                paths,
                names=names,
                short=short,
                start_name=start_name,
                limit=limit,
            )
        )
    return result


def _stage_reach(
    stage: Stage,
    country: str,
    actors: pd.DataFrame,
    column: dict[str, dict[str, Any]],
    distances: dict[str, float],
    paths: dict[str, list[str]],
    *,
    names: dict[str, str],
    short: dict[str, str],
    start_name: str,
    limit: int | None,
) -> dict[str, Any]:
    """One row of :func:`pathways`: who carries ``stage`` in ``country`` and who of them a
    case starting at ``distances``' sources reaches."""
    carriers = [
        i
        for i in actors.index
        if column["country"][i] == country and stage.key in column["stages"][i]
    ]
    reached = sorted(
        (i for i in carriers if i in distances), key=lambda i: (distances[i], len(paths[i]), i)
    )
    rows = [
        {
            "institution_id": i,
            "institution_name": names[i],
            "country": column["country"][i],
            "city": column["city"][i],
            "sector": column["sector"][i],
            "services_known_as": column["services_known_as"][i],
            "hops": len(paths[i]) - 1,
            "distance": round(float(distances[i]), 6),
            "path": list(paths[i]),
        }
        for i in (reached if limit is None else reached[:limit])
    ]
    stage_label = load_taxonomy().label("stages", stage.key)
    values = {
        "stage": in_sentence(stage_label),
        "place": country_name(country),
        "start": start_name,
        "count": len(carriers),
        "reached": len(reached),
    }
    if not carriers:
        why = gettext(
            "No recorded actor in %(place)s carries %(stage)s: none is listed (or usual for "
            "its sector) with the services it needs."
        )
    elif not reached and len(carriers) == 1:
        why = gettext(
            "No recorded tie that carries cases leads from %(start)s to the only actor of "
            "%(stage)s in %(place)s: other routes may exist, but none is recorded."
        )
    elif not reached:
        why = ngettext(
            "No recorded tie that carries cases leads from %(start)s to any of the %(count)d "
            "actor of %(stage)s in %(place)s: other routes may exist, but none is recorded.",
            "No recorded tie that carries cases leads from %(start)s to any of the %(count)d "
            "actors of %(stage)s in %(place)s: other routes may exist, but none is recorded.",
            len(carriers),
        )
    elif rows[0]["hops"] == 0:
        values["name"] = names[rows[0]["institution_id"]]
        why = gettext("%(name)s carries %(stage)s itself.")
    else:
        nearest = rows[0]
        values.update(
            name=nearest["institution_name"],
            hops=_hops(nearest["hops"]),
            chain=_chain(nearest["path"], short),
        )
        why = ngettext(
            "%(reached)d of %(count)d actor of %(stage)s in %(place)s can be reached from "
            "%(start)s over ties that carry cases; the nearest is %(name)s (%(hops)s: "
            "%(chain)s).",
            "%(reached)d of %(count)d actors of %(stage)s in %(place)s can be reached from "
            "%(start)s over ties that carry cases; the nearest is %(name)s (%(hops)s: "
            "%(chain)s).",
            len(carriers),
        )
    why %= values
    if rows and rows[0]["services_known_as"] == "assumed":
        why += " " + gettext("It carries the stage only by its sector's usual services (assumed).")
    if stage.cross_cutting:
        why += " " + gettext("%(stage)s is needed at every stage.") % {"stage": stage_label}
    return {
        "stage": stage.key,
        "label": stage_label,
        "order": stage.order,
        "cross_cutting": stage.cross_cutting,
        "country": country,
        "actors": len(carriers),
        "reached": len(reached),
        "nearest_hops": rows[0]["hops"] if rows else None,
        "reachable": rows,
        "why": why,
    }


def introduction_path(
    network: Network,
    from_id: str,
    to_id: str,
    *,
    graph: nx.Graph | None = None,
    include_modelled: bool = False,
) -> list[str]:
    """Return the shortest chain of introductions from ``from_id`` to ``to_id`` as ids.

    The chain runs through recorded ties whose two ends know each other (``introduces``
    in taxonomy.toml: not funding, not hosting), shortest by trust distance (strong ties
    are short); it starts with ``from_id`` and ends with ``to_id`` (``[from_id]`` when
    they are the same). Returns ``[]`` when no such chain is recorded.

    Raises :class:`NotFound` for an unknown institution, listing the closest ids.
    """
    return introduction_route(
        network, from_id, to_id, graph=graph, include_modelled=include_modelled
    )[0]


def introduction_route(
    network: Network,
    from_id: str,
    to_id: str,
    *,
    graph: nx.Graph | None = None,
    include_modelled: bool = False,
) -> tuple[list[str], list[dict[str, Any]]]:
    """Return :func:`introduction_path` and its :func:`path_steps` together, projecting
    the graph of introductions once for both (at 10,000 institutions the projection is
    most of the time each of them takes)."""
    if not include_modelled:
        network = leave_out_modelled(network)
    check_institution(network, from_id)
    check_institution(network, to_id)
    introductions = path_graph(network, "introductions", graph)
    try:
        path = list(nx.dijkstra_path(introductions, from_id, to_id, weight="distance"))
    except nx.NetworkXNoPath:
        path = []
    return path, _steps(network, introductions, path)


def path_steps(
    network: Network,
    path: list[str],
    *,
    graph: nx.Graph | None = None,
    include_modelled: bool = False,
) -> list[dict]:
    """Return one dict per step of an introduction ``path``: ``from``, ``to``, their names,
    the ``kinds`` of the introducing ties between them, the strongest one's ``strength``
    and their ids (``ties``)."""
    if not include_modelled:
        network = leave_out_modelled(network)
    return _steps(network, path_graph(network, "introductions", graph), path)


def _steps(network: Network, introductions: nx.Graph, path: list[str]) -> list[dict[str, Any]]:
    names = dict(zip(network.institutions["id"], network.institutions["name"], strict=True))
    steps = []
    for a, b in itertools.pairwise(path):
        edge = introductions[a][b]
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
    network: Network,
    from_country: str,
    to_country: str,
    *,
    graph: nx.Graph | None = None,
    include_modelled: bool = False,
) -> list[dict[str, Any]]:
    """Return the routes by which a victim found in ``from_country`` can be handed over to
    reception in ``to_country``, their country of origin.

    The targets are the institutions of ``to_country`` that carry a stage receiving an
    across-border hand-over of the model (reception); each route starts at the nearest
    institution of ``from_country`` and follows recorded ties that carry cases (shortest
    trust distance). A return is prepared by a return actor of ``from_country``: each
    route says which one it passes through, if any.

    Returns
    -------
    list of dict
        One per target, reachable ones first (nearest first), each with
        ``institution_id``, ``institution_name``, ``city``, ``stages``, ``reachable``,
        ``hops`` (None when unreachable), ``distance``, ``path`` (ids from an institution
        of ``from_country`` to the target; ``[]`` when unreachable), ``from_id``,
        ``via_return_actor`` (the first institution of ``from_country`` on the path that
        carries the return stage; None when none does) and ``why``.

    Raises
    ------
    NotFound
        For a country with no institution in the network (listing those that have).
    NetmapError
        When both countries are the same, or the pathway model has no across-border
        hand-over.
    """
    if not include_modelled:
        network = leave_out_modelled(network)
    origin = check_country(network, from_country)
    home = check_country(network, to_country)
    if origin == home:
        raise NetmapError(gettext("a return pathway links two different countries"))
    taxonomy = load_taxonomy()
    handovers = _return_handovers(taxonomy)
    if not handovers:
        raise NetmapError(
            gettext(
                "the referral-pathway model has no across-border hand-over (return to reception)"
            )
        )
    giving = {h.from_stage for h in handovers}
    receiving = {h.to_stage for h in handovers}
    actors = actor_table(network)
    column = _by_id(actors)
    names = column["name"]
    short = short_names(network)
    sources = set(actors.index[actors["country"] == origin])
    returners = {i for i in sources if giving & set(column["stages"][i])}
    targets = [
        i
        for i in actors.index
        if column["country"][i] == home and receiving & set(column["stages"][i])
    ]
    cases = path_graph(network, "cases", graph)
    distances, paths = _nearest(cases, sources)
    origin_name, home_name = country_name(origin), country_name(home)
    return_label = format_list(
        (in_sentence(taxonomy.label("stages", s)) for s in sorted(giving)), "or"
    )
    rows = []
    for target in targets:
        stages = [s for s in column["stages"][target] if s in receiving]
        labels = format_list(in_sentence(taxonomy.label("stages", s)) for s in stages)
        values = {
            "name": names[target],
            "stages": labels,
            "origin": origin_name,
            "home": home_name,
            "return": return_label,
        }
        if target in distances:
            path = list(paths[target])
            via = next((i for i in path if i in returners), None)
            values.update(hops=_hops(len(path) - 1), chain=_chain(path, short))
            why = gettext(
                "%(name)s (%(stages)s) can be reached from %(origin)s in %(hops)s over ties "
                "that carry cases: %(chain)s."
            )
            if via:
                values["via"] = names[via]
                why += " " + gettext("%(via)s prepares the %(return)s on the way.")
            else:
                why += " " + gettext("No actor of %(return)s in %(origin)s is on the way.")
            why %= values
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
                    "via_return_actor": via,
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
                    "via_return_actor": None,
                    "why": gettext(
                        "No recorded tie that carries cases links any actor in %(origin)s to "
                        "%(name)s (%(stages)s in %(home)s)."
                    )
                    % values,
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
