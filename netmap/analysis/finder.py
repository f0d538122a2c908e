"""The contact finder: whom to call in another country, and who can introduce you.

"I am at ARSIS in Thessaloniki; a child from Plovdiv needs safe return: whom do I call?"
:func:`find_contacts` ranks the institutions of the target country (or city) that offer
the needed service, and their contacts, by fit and by trust distance, each with the chain
of existing partners that leads there.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from operator import itemgetter
from typing import Any, NamedTuple

import networkx as nx
import numpy as np
import pycountry
from scipy import sparse
from scipy.sparse import csgraph

from netmap.analysis.actors import actor_table, in_sentence, short_names
from netmap.codes import language_name
from netmap.dates import months_since
from netmap.graph import check_institution, leave_out_modelled, trust_distance
from netmap.i18n import format_list, gettext, ngettext
from netmap.places import Places, check_country
from netmap.store.base import Network, iter_rows
from netmap.suggestions import not_found
from netmap.taxonomy import Taxonomy, load_taxonomy

# The score is out of 100: what a coordinator weighs, in that order. Service fit and a
# shared language decide whether the call can help at all; trust distance whether someone
# will vouch for you; a focal point and a recent verification whether the call will land.
SERVICE_LISTED = 30.0  # a source or the institution lists the service
SERVICE_INFERRED = 25.0  # reasoned from a source that it offers it
SERVICE_ASSUMED = 15.0  # nothing recorded says so: the service is only usual for its sector
# What service fit is worth, by how the candidate's services are known (see actor_table).
SERVICE_FIT = {
    "documented": SERVICE_LISTED,
    "reported": SERVICE_LISTED,
    "inferred": SERVICE_INFERRED,
    "modelled": SERVICE_ASSUMED,
    "assumed": SERVICE_ASSUMED,
}
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
    this one through recorded ties whose ends know each other (``[]`` when ``reachable`` is
    False), ``hops`` counts its steps. ``service_known_as`` says how the asked service is
    known (``documented``, ``reported``, ``inferred``, or ``assumed`` from the sector; None
    when no service was asked). ``reasons`` say in words why it fits (and what does not).
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
    service_known_as: str | None = None

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


def _check_language(value: str, known: frozenset[str]) -> str:
    code = value.strip().casefold()
    if len(code) == 2 and pycountry.languages.get(alpha_2=code) is not None:
        return code
    try:
        found = pycountry.languages.lookup(value.strip())
    except LookupError:
        found = None
    alpha_2: str | None = getattr(found, "alpha_2", None) if found is not None else None
    if alpha_2:
        return alpha_2
    raise not_found("language", value, known)


def _freshness(months: int | None) -> float:
    if months is None:
        return 0.0
    if months <= FRESH_MONTHS:
        return 1.0
    if months >= STALE_MONTHS:
        return 0.0
    return (STALE_MONTHS - months) / (STALE_MONTHS - FRESH_MONTHS)


def _languages_text(codes: Iterable[str]) -> str:
    return format_list(language_name(c) for c in codes)


class Listing(NamedTuple):
    """What the contact finder weighs and shows of one institution (a row of the actor
    table, with its own email and phone)."""

    id: str
    name: str
    country: str
    city: str | None
    place: str
    sector: str
    services: tuple[str, ...]
    listed_services: tuple[str, ...]
    services_known_as: str | None
    languages: tuple[str, ...]
    last_verified: str | None
    email: str | None
    phone: str | None


# the columns of the actor table a listing takes, in order (email and phone come apart)
LISTED_COLUMNS = [name for name in Listing._fields[1:] if name not in ("email", "phone")]


def _trust_matrix(network: Network, graph: nx.Graph | None) -> tuple[list[str], sparse.csr_matrix]:
    """Return the nodes of :func:`path_graph` ``(network, "introductions", graph)`` and the
    upper-triangular matrix of its edges' ``distance``, without building that graph.

    Aggregating a million ties into a networkx graph takes most of a minute; here the
    strongest introducing tie of each pair is picked with NumPy (without ``graph``,
    straight from the ties table, as :func:`institution_graph` would hold them). The nodes
    come in the same order (sorted for a multigraph, as :func:`cooperation_graph` sorts
    them) and each pair sits at (earlier node, later node), as the graph's edges run, so
    the CSR matrix (canonical: sorted, one entry per pair) is the same and SciPy's Dijkstra
    picks the same paths among equally short ones.
    """
    introducing = load_taxonomy().introducing_tie_kinds
    if graph is not None and not graph.is_multigraph():
        nodes = list(graph.nodes)
        # comprehensions, not list(): list() first asks an edge view for its length, which
        # walks every edge once more
        ends = [
            (u, v, data["distance"])
            for u, v, data in graph.edges(data=True)
            if not introducing.isdisjoint(data.get("kinds") or ())
        ]
        distances = [value for _, _, value in ends]
    else:
        if graph is None:
            ties = network.ties
            ties = ties[ties["kind"].isin(introducing)]
            sources, targets = ties["source_id"].tolist(), ties["target_id"].tolist()
            nodes = sorted({*network.institutions["id"], *sources, *targets})
            ends = list(zip(sources, targets, ties["strength"].tolist(), strict=True))
        else:
            nodes = sorted(graph.nodes)
            ends = [
                (u, v, data.get("strength"))
                for u, v, data in graph.edges(data=True)
                if data.get("kind") in introducing
            ]
        # cooperation_graph keeps each pair's strongest tie: the shortest trust distance
        length = {value: trust_distance(int(value or 2)) for value in {e[2] for e in ends}}
        distances = [length[value] for _, _, value in ends]
    if not ends:
        return nodes, sparse.csr_matrix((len(nodes), len(nodes)), dtype=float)
    position = {node: number for number, node in enumerate(nodes)}
    first = np.fromiter((position[u] for u, _, _ in ends), dtype=np.int64, count=len(ends))
    second = np.fromiter((position[v] for _, v, _ in ends), dtype=np.int64, count=len(ends))
    pairs = np.minimum(first, second) * len(nodes) + np.maximum(first, second)
    lengths = np.asarray(distances, dtype=float)
    order = np.lexsort((lengths, pairs))  # by pair, the shortest first
    pairs, lengths = pairs[order], lengths[order]
    shortest = np.concatenate(([True], pairs[1:] != pairs[:-1]))
    rows, columns = np.divmod(pairs[shortest], len(nodes))
    matrix = sparse.coo_matrix(
        (lengths[shortest], (rows, columns)), shape=(len(nodes), len(nodes))
    ).tocsr()
    return nodes, matrix


@dataclass
class FinderIndex:
    """What the contact finder needs from one network, prepared once.

    Each search with it only filters the listings of one country and walks shortest trust
    paths, which run in SciPy's compiled Dijkstra over a sparse matrix of trust distances
    (networkx's pure-Python Dijkstra over a million ties takes seconds per search).
    """

    places: Places
    by_country: dict[str, list[Listing]]  # in id order
    languages_of: dict[str, tuple[str, ...]]
    known_languages: frozenset[str]
    short: dict[str, str]
    contacts_of: dict[str, list[dict[str, Any]]]
    nodes: list[str]
    position: dict[str, int]
    matrix: sparse.csr_matrix

    @classmethod
    def build(
        cls, network: Network, graph: nx.Graph | None = None, *, include_modelled: bool = False
    ) -> FinderIndex:
        """Prepare the finder for ``network``; ``graph`` as for :func:`path_graph`. Modelled
        records are left out unless ``include_modelled``; collective records ("the NGOs of
        X") are never candidates."""
        if not include_modelled:
            network = leave_out_modelled(network)
        places = Places(network)
        institutions = network.institutions
        actors = actor_table(network, places)
        reach = dict(
            zip(
                institutions["id"],
                zip(institutions["email"], institutions["phone"], strict=True),
                strict=True,
            )
        )
        by_country: dict[str, list[Listing]] = {}
        candidates = actors[~actors["collective"].astype(bool)]
        columns = [candidates[column].tolist() for column in LISTED_COLUMNS]
        for institution_id, *fields in zip(candidates.index, *columns, strict=True):
            listing = Listing(institution_id, *fields, *reach[institution_id])
            by_country.setdefault(listing.country, []).append(listing)
        contacts_of: dict[str, list[dict[str, Any]]] = {}
        for row in iter_rows(network.contacts):
            contacts_of.setdefault(row["institution_id"], []).append(row)
        nodes, matrix = _trust_matrix(network, graph)
        return cls(
            places=places,
            by_country=by_country,
            languages_of=dict(zip(actors.index, actors["languages"], strict=True)),
            known_languages=frozenset(
                language
                for values in (*institutions["languages"], *network.contacts["languages"])
                for language in (values or ())
            ),
            short=short_names(network),
            contacts_of=contacts_of,
            nodes=nodes,
            position={node: number for number, node in enumerate(nodes)},
            matrix=matrix,
        )

    def routes(
        self, source: str, targets: Iterable[str]
    ) -> tuple[dict[str, float], dict[str, list[str]]]:
        """Trust distances and shortest paths from ``source`` to those ``targets`` it reaches."""
        start = self.position.get(source)
        targets = list(targets)
        if start is None or not targets:
            return {}, {}
        # SciPy takes one index and then returns 1-D arrays; scipy-stubs accept only arrays.
        distance, predecessor = csgraph.dijkstra(  # type: ignore[call-overload]
            self.matrix, directed=False, indices=start, return_predecessors=True
        )
        # plain lists: indexing them is several times faster than indexing NumPy arrays
        distance, predecessor = distance.tolist(), predecessor.tolist()
        distances, paths = {}, {}
        for target in targets:
            at = self.position.get(target)
            if at is None or not math.isfinite(distance[at]):
                continue
            distances[target] = distance[at]
            path = [target]
            while at != start:
                at = predecessor[at]
                path.append(self.nodes[at])
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
    include_modelled: bool = False,
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
        A service key (or label) the candidate must offer: listed for the institution (by a
        source, by the institution, or inferred), or assumed as usual for its sector when
        nothing is listed; assumed services rank below listed ones.
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
    include_modelled
        Count modelled records (illustrations) too (when no ``index`` is given).

    Returns
    -------
    list of Candidate
        One per contact of each fitting institution (one with no contact when it has
        none); never a collective record. Reachable candidates (a recorded chain of
        introductions leads there) come first, then unreachable ones; within each, by
        ``score`` (out of 100: service fit 30 if a source or the institution lists it, 25 if
        inferred, 15 if only assumed from its sector; a shared language 25 — the contact's
        languages, else the institution's —, trust 25 divided by the trust distance, focal
        point 10, verified within a year 10 fading to 0 at five years), then fewer hops,
        then id.

    Raises
    ------
    NotFound
        For an unknown institution, country, city, service, sector or language; the
        message lists what exists and the closest matches.
    """
    taxonomy = load_taxonomy()
    index = index or FinderIndex.build(network, graph, include_modelled=include_modelled)
    own_languages = index.languages_of.get(from_id)
    if own_languages is None:
        own_languages = check_institution(network, from_id).get("languages")
    code = country.strip().upper()
    if code not in index.by_country:
        code = check_country(network, country)
    place = index.places.resolve_one(city, code) if city is not None else None
    service_key = _check_vocabulary(taxonomy, "services", "service", service) if service else None
    sector_key = _check_vocabulary(taxonomy, "sectors", "sector", sector) if sector else None
    spoken = [_check_language(value, index.known_languages) for value in languages]
    spoken = list(dict.fromkeys(spoken or (own_languages or [])))
    today = today or date.today()

    fits = [
        listing
        for listing in index.by_country.get(code, ())
        if listing.id != from_id
        and (place is None or listing.place == place.key)
        and (sector_key is None or listing.sector == sector_key)
        and (service_key is None or service_key in listing.services)
    ]
    distances, paths = index.routes(from_id, [listing.id for listing in fits])

    # Score every fitting contact, but write reasons only for those returned: a big
    # country has thousands of contacts and a question wants the best twenty.
    months_of: dict[str | None, int | None] = {}  # many contacts share a verification date
    ranking = []
    for listing in fits:
        distance = distances.get(listing.id)
        reachable = distance is not None
        base_score = 0.0
        if service_key is not None:
            base_score += SERVICE_FIT[_service_known_as(listing, service_key)]
        if distance is not None:
            base_score += TRUST / max(distance, 1.0)
        hops = len(paths[listing.id]) - 1 if reachable else None
        no_contact: list[dict[str, Any] | None] = [None]  # the institution's own details
        for contact in index.contacts_of.get(listing.id) or no_contact:
            details = contact or {}
            score = base_score
            own = details.get("languages") or listing.languages
            if any(language in spoken for language in own):
                score += SHARED_LANGUAGE
            if details.get("focal_point"):
                score += FOCAL_POINT
            verified = details.get("last_verified") or listing.last_verified
            if verified not in months_of:
                months_of[verified] = months_since(verified, today)
            score = round(score + RECENT * _freshness(months_of[verified]), 2)
            order = (not reachable, -score, hops or 0, listing.id, details.get("id") or "")
            ranking.append((order, score, listing, contact))
    ranking.sort(key=itemgetter(0))
    chosen = ranking if limit is None else ranking[:limit]
    return [
        _candidate(
            listing,
            contact,
            score,
            distance=distances.get(listing.id),
            path=paths.get(listing.id, []),
            service_key=service_key,
            spoken=spoken,
            today=today,
            short=index.short,
            taxonomy=taxonomy,
        )
        for _, score, listing, contact in chosen
    ]


def _service_known_as(listing: Listing, service_key: str) -> str:
    """How ``listing``'s offering ``service_key`` is known: the evidence of its listed
    services, or ``assumed`` when it lists none and its sector usually offers it."""
    if service_key in listing.listed_services:
        return listing.services_known_as or "reported"
    return "assumed"


def _candidate(
    listing: Listing,
    contact: dict[str, Any] | None,
    score: float,
    *,
    distance: float | None,
    path: list[str],
    service_key: str | None,
    spoken: list[str],
    today: date,
    short: dict[str, str],
    taxonomy: Taxonomy,
) -> Candidate:
    """Return the candidate ``find_contacts`` scored ``score``, with the reasons in words."""
    reachable = distance is not None
    reasons = []
    known_as = None
    if service_key is not None:
        known_as = _service_known_as(listing, service_key)
        label = in_sentence(taxonomy.label("services", service_key))
        reasons.append(_service_reason(label, known_as, listing, taxonomy))
    if reachable:
        hops = len(path) - 1
        chain = " → ".join(short.get(i, i) for i in path)
        if hops == 1:
            reasons.append(gettext("A direct partner of yours: %(chain)s.") % {"chain": chain})
        else:
            between = hops - 1
            reasons.append(
                ngettext(
                    "%(count)d introduction away: %(chain)s.",
                    "%(count)d introductions away: %(chain)s.",
                    between,
                )
                % {"count": between, "chain": chain}
            )
    else:
        reasons.append(
            gettext(
                "No recorded chain of partners who know each other leads there: you would be "
                "contacting them cold."
            )
        )
    details = contact or {}
    contact_languages = list(details.get("languages") or [])
    own = contact_languages or list(listing.languages)
    shared = [c for c in own if c in spoken]
    if shared:
        reasons.append(
            (
                gettext("The contact speaks %(languages)s, as you do.")
                if contact_languages
                else gettext("The institution works in %(languages)s, as you do.")
            )
            % {"languages": _languages_text(shared)}
        )
    elif spoken and own:
        reasons.append(
            (
                gettext(
                    "Shares no language with you: the contact speaks %(languages)s; you: %(yours)s."
                )
                if contact_languages
                else gettext(
                    "Shares no language with you: the institution works in %(languages)s; "
                    "you: %(yours)s."
                )
            )
            % {"languages": _languages_text(own), "yours": _languages_text(spoken)}
        )
    elif spoken:
        reasons.append(gettext("Its languages are not recorded."))
    focal = bool(details.get("focal_point"))
    if focal:
        reasons.append(gettext("A designated focal point."))
    verified = details.get("last_verified") or listing.last_verified
    months = months_since(verified, today)
    if months is None:
        reasons.append(gettext("Never verified: check the details before relying on them."))
    elif months == 0:
        reasons.append(gettext("Last verified %(verified)s (this month).") % {"verified": verified})
    else:
        reasons.append(
            ngettext(
                "Last verified %(verified)s (%(months)d month ago).",
                "Last verified %(verified)s (%(months)d months ago).",
                months,
            )
            % {"verified": verified, "months": months}
        )
    return Candidate(
        institution_id=listing.id,
        institution_name=listing.name,
        contact_id=details.get("id"),
        contact_name=details.get("name"),
        score=score,
        reachable=reachable,
        hops=len(path) - 1 if reachable else None,
        path=list(path),
        reasons=reasons,
        last_verified=verified,
        country=listing.country,
        city=listing.city,
        sector=listing.sector,
        role=details.get("role"),
        email=details.get("email") or listing.email,
        phone=details.get("phone") or listing.phone,
        languages=own,
        focal_point=focal,
        distance=round(distance, 6) if distance is not None else None,
        service_known_as=known_as,
    )


def _service_reason(label: str, known_as: str, listing: Listing, taxonomy: Taxonomy) -> str:
    """Why the candidate is taken to offer the service, saying how that is known."""
    if known_as == "assumed":
        sector = in_sentence(taxonomy.label("sectors", listing.sector))
        return gettext(
            "Offers %(service)s, assumed: usual for %(sector)s, but nothing recorded says this "
            "institution does."
        ) % {"service": label, "sector": sector}
    how = {
        "documented": gettext("a source says so"),
        "reported": gettext("listed for the institution"),
        "inferred": gettext("inferred from a source"),
        "modelled": gettext("modelled (an illustration, not a fact)"),
    }.get(known_as, known_as)
    return gettext("Offers %(service)s (%(how)s).") % {"service": label, "how": how}
