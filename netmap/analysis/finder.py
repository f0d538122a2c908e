"""The contact finder: whom to call in another country, and who can introduce you.

"I am at ARSIS in Thessaloniki; a child from Plovdiv needs safe return: whom do I call?"
:func:`find_contacts` ranks the institutions of the target country (or city) that offer
the needed service, and their contacts, by fit and by trust distance, each with the chain
of existing partners that leads there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pycountry
from scipy import sparse
from scipy.sparse import csgraph

from netmap.analysis.actors import actor_table, in_sentence, months_since, short_names, trust_graph
from netmap.graph import Places, check_country, check_institution, not_found, records
from netmap.store.base import Network
from netmap.taxonomy import Taxonomy, load_taxonomy

# The score is out of 100: what a coordinator weighs, in that order. Service fit and a
# shared language decide whether the call can help at all; trust distance whether someone
# will vouch for you; a focal point and a recent verification whether the call will land.
SERVICE_LISTED = 30.0  # the institution lists the service itself
SERVICE_DEFAULT = 20.0  # the service is only the usual one of its sector
SHARED_LANGUAGE = 25.0
TRUST = 25.0  # divided by the trust distance (one strong tie: 1.0)
FOCAL_POINT = 10.0
RECENT = 10.0  # verified within FRESH_MONTHS, fading to 0 at STALE_MONTHS
FRESH_MONTHS = 12
STALE_MONTHS = 60


@dataclass
class Candidate:
    """One institution (and one of its contacts, if it has any) that fits the request.

    ``score`` is out of 100 (higher is better); ``path`` runs from the asking institution to
    this one through existing ties (``[]`` when ``reachable`` is False), ``hops`` counts
    its steps. ``reasons`` say in words why it fits (and what does not).
    """

    institution_id: str
    institution_name: str
    contact_id: str | None
    contact_name: str | None
    score: float
    reachable: bool
    hops: int | None
    path: list[str]
    reasons: list[str]
    last_verified: str | None
    country: str = ""
    city: str | None = None
    sector: str = ""
    role: str | None = None
    email: str | None = None
    phone: str | None = None
    languages: list[str] = field(default_factory=list)
    focal_point: bool = False
    distance: float | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the candidate as a JSON-ready dict (every field)."""
        return asdict(self)


def _key(value: str) -> str:
    return value.strip().casefold().replace(" ", "_").replace("-", "_")


def _check_vocabulary(taxonomy: Taxonomy, vocabulary: str, what: str, value: str) -> str:
    keys = taxonomy.vocabulary(vocabulary)
    key = _key(value)
    if key in keys:
        return key
    by_label = {_key(label): k for k, label in keys.items()}
    if key in by_label:
        return by_label[key]
    raise not_found(what, value, keys, listing="one of")


def language_name(code: str) -> str:
    """Return the English name of an ISO 639-1 language ``code`` (the code if unknown)."""
    found = pycountry.languages.get(alpha_2=code)
    if found is None:
        return code
    return found.name.split(" (")[0].removeprefix("Modern ")


def _check_language(value: str, known: set[str]) -> str:
    code = value.strip().casefold()
    if len(code) == 2 and pycountry.languages.get(alpha_2=code) is not None:
        return code
    try:
        found = pycountry.languages.lookup(value.strip())
    except LookupError:
        found = None
    if found is not None and getattr(found, "alpha_2", None):
        return found.alpha_2
    raise not_found("language", value, known)


def _freshness(months: int | None) -> float:
    if months is None:
        return 0.0
    if months <= FRESH_MONTHS:
        return 1.0
    if months >= STALE_MONTHS:
        return 0.0
    return (STALE_MONTHS - months) / (STALE_MONTHS - FRESH_MONTHS)


def _languages_text(codes) -> str:
    names = [language_name(c) for c in codes]
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)


@dataclass
class FinderIndex:
    """What the contact finder needs from one network, prepared once.

    Building it costs about as much as one search on a big network; each search with it
    then only filters candidates and walks shortest trust paths, which run in SciPy's
    compiled Dijkstra over a sparse matrix of trust distances (networkx's pure-Python
    Dijkstra over a million ties takes seconds per search).
    """

    places: Places
    actors: pd.DataFrame
    known_languages: frozenset[str]
    short: dict[str, str]
    reach: dict[str, tuple[str | None, str | None]]
    contacts_of: dict[str, list[dict[str, Any]]]
    nodes: list[str]
    position: dict[str, int]
    matrix: sparse.csr_matrix

    @classmethod
    def build(cls, network: Network, graph: nx.Graph | None = None) -> FinderIndex:
        places = Places(network)
        institutions = network.institutions
        contacts_of: dict[str, list[dict[str, Any]]] = {}
        for row in records(network.contacts):
            contacts_of.setdefault(row["institution_id"], []).append(row)
        cooperation = trust_graph(network, graph)
        nodes = list(cooperation.nodes)
        position = {node: number for number, node in enumerate(nodes)}
        edges = [(position[a], position[b], d) for a, b, d in cooperation.edges(data="distance")]
        rows, columns, weights = zip(*edges, strict=True) if edges else ((), (), ())
        matrix = sparse.coo_matrix(
            (np.asarray(weights, dtype=float), (rows, columns)), shape=(len(nodes), len(nodes))
        ).tocsr()
        return cls(
            places=places,
            actors=actor_table(network, places),
            known_languages=frozenset(
                language
                for values in (*institutions["languages"], *network.contacts["languages"])
                for language in (values or ())
            ),
            short=short_names(network),
            reach={
                i: (email, phone)
                for i, email, phone in zip(
                    institutions["id"], institutions["email"], institutions["phone"], strict=True
                )
            },
            contacts_of=contacts_of,
            nodes=nodes,
            position=position,
            matrix=matrix,
        )

    def routes(
        self, source: str, targets: Iterable[str]
    ) -> tuple[dict[str, float], dict[str, list[str]]]:
        """Trust distances and shortest paths from ``source`` to those ``targets`` it reaches."""
        start = self.position.get(source)
        if start is None:
            return {}, {}
        distance, predecessor = csgraph.dijkstra(
            self.matrix, directed=False, indices=start, return_predecessors=True
        )
        distances, paths = {}, {}
        for target in targets:
            at = self.position.get(target)
            if at is None or not np.isfinite(distance[at]):
                continue
            path = [target]
            while at != start:
                at = predecessor[at]
                path.append(self.nodes[at])
            distances[target] = float(distance[self.position[target]])
            paths[target] = path[::-1]
        return distances, paths


def find_contacts(
    network: Network,
    from_id: str,
    country: str,
    *,
    city: str | None = None,
    service: str | None = None,
    sector: str | None = None,
    languages: tuple[str, ...] | list[str] = (),
    today: date | None = None,
    limit: int | None = 20,
    graph: nx.Graph | None = None,
    index: FinderIndex | None = None,
) -> list[Candidate]:
    """Return the institutions and contacts in ``country`` that fit, best first.

    Parameters
    ----------
    network
        The network snapshot.
    from_id
        The asking institution; paths start there and it is never a candidate.
    country
        ISO code (or English name) of the target country.
    city
        Only institutions of this city (any script: ``Пловдив`` is Plovdiv).
    service
        A service key (or label) the candidate must offer: listed by the institution, or
        usual for its sector when it lists none.
    sector
        A sector key (or label) the candidate must belong to.
    languages
        ISO 639-1 codes the caller speaks; default: the asking institution's languages.
    today
        The date recency is measured from (default: today).
    limit
        At most this many candidates (all when None).
    graph
        A cooperation or institution graph of ``network`` to reuse (built when omitted).
    index
        A :class:`FinderIndex` of ``network`` to reuse: build it once per store revision
        when asking many questions (the app and the benchmarks do).

    Returns
    -------
    list of Candidate
        One per contact of each fitting institution (one with no contact when it has
        none). Reachable candidates come first, then unreachable ones; within each, by
        ``score`` (out of 100: service fit 30 if listed / 20 if usual for the sector, a
        shared language 25 — the contact's languages, else the institution's —, trust 25
        divided by the trust distance, focal point 10, verified within a year 10 fading to
        0 at five years), then fewer hops, then id.

    Raises
    ------
    NotFound
        For an unknown institution, country, city, service, sector or language; the
        message lists what exists and the closest matches.
    """
    taxonomy = load_taxonomy()
    index = index or FinderIndex.build(network, graph)
    origin = check_institution(network, from_id)
    code = check_country(network, country)
    place = index.places.resolve_one(city, code) if city is not None else None
    service_key = _check_vocabulary(taxonomy, "services", "service", service) if service else None
    sector_key = _check_vocabulary(taxonomy, "sectors", "sector", sector) if sector else None
    spoken = [_check_language(value, index.known_languages) for value in languages]
    spoken = list(dict.fromkeys(spoken or (origin.get("languages") or [])))
    today = today or date.today()

    actors = index.actors
    fits = actors[(actors["country"] == code) & (actors.index != from_id)]
    if place is not None:
        fits = fits[fits["place"] == place.key]
    if sector_key is not None:
        fits = fits[fits["sector"] == sector_key]
    if service_key is not None:
        fits = fits[[service_key in services for services in fits["services"]]]

    distances, paths = index.routes(from_id, fits.index)
    short, reach, contacts_of = index.short, index.reach, index.contacts_of

    candidates = []
    for institution_id in fits.index:
        actor = fits.loc[institution_id]
        reachable = institution_id in distances
        path = list(paths[institution_id]) if reachable else []
        distance = float(distances[institution_id]) if reachable else None
        base_score = 0.0
        base_reasons = []
        if service_key is not None:
            label = in_sentence(taxonomy.label("services", service_key))
            if service_key in actor["listed_services"]:
                base_score += SERVICE_LISTED
                base_reasons.append(f"Offers {label} (listed by the institution).")
            else:
                base_score += SERVICE_DEFAULT
                sector_label = in_sentence(taxonomy.label("sectors", actor["sector"]))
                base_reasons.append(
                    f"Offers {label}, usual for {sector_label} (the institution lists no "
                    "services of its own)."
                )
        if reachable:
            base_score += TRUST / max(distance, 1.0)
            hops = len(path) - 1
            chain = " → ".join(short.get(i, i) for i in path)
            if hops == 1:
                base_reasons.append(f"A direct partner of yours: {chain}.")
            else:
                between = hops - 1
                base_reasons.append(f"{between} introduction{'s' * (between != 1)} away: {chain}.")
        else:
            base_reasons.append(
                "No chain of existing ties leads there: you would be contacting them cold."
            )
        for contact in contacts_of.get(institution_id) or [None]:
            score = base_score
            reasons = list(base_reasons)
            contact_languages = list((contact or {}).get("languages") or [])
            own = contact_languages or list(actor["languages"])
            whose = "The contact speaks" if contact_languages else "The institution works in"
            shared = [c for c in own if c in spoken]
            if shared:
                score += SHARED_LANGUAGE
                reasons.append(f"{whose} {_languages_text(shared)}, as you do.")
            elif spoken and own:
                reasons.append(
                    f"Shares no language with you: {whose.lower()} {_languages_text(own)}; "
                    f"you: {_languages_text(spoken)}."
                )
            elif spoken:
                reasons.append("Its languages are not recorded.")
            focal = bool((contact or {}).get("focal_point"))
            if focal:
                score += FOCAL_POINT
                reasons.append("A designated focal point.")
            verified = (contact or {}).get("last_verified") or actor["last_verified"]
            months = months_since(verified, today)
            score += RECENT * _freshness(months)
            if months is None:
                reasons.append("Never verified: check the details before relying on them.")
            else:
                age = {0: "this month", 1: "1 month ago"}.get(months, f"{months} months ago")
                reasons.append(f"Last verified {verified} ({age}).")
            candidates.append(
                Candidate(
                    institution_id=institution_id,
                    institution_name=actor["name"],
                    contact_id=contact["id"] if contact else None,
                    contact_name=contact["name"] if contact else None,
                    score=round(score, 2),
                    reachable=reachable,
                    hops=len(path) - 1 if reachable else None,
                    path=path,
                    reasons=reasons,
                    last_verified=verified,
                    country=actor["country"],
                    city=actor["city"],
                    sector=actor["sector"],
                    role=(contact or {}).get("role"),
                    email=(contact or {}).get("email") or reach[institution_id][0],
                    phone=(contact or {}).get("phone") or reach[institution_id][1],
                    languages=own,
                    focal_point=focal,
                    distance=round(distance, 6) if distance is not None else None,
                )
            )
    candidates.sort(
        key=lambda c: (
            not c.reachable,
            -c.score,
            c.hops if c.hops is not None else 0,
            c.institution_id,
            c.contact_id or "",
        )
    )
    return candidates if limit is None else candidates[:limit]
