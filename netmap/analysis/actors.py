"""What each institution does in the referral pathway, and where it is.

The gap analysis, the pathways and the contact finder all start from the same reading of
the institutions table: the services an institution offers (its own, else its sector's
defaults), the pathway stages it carries, and the city it belongs to.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from netmap.graph import TieUse, cooperation_graph, institution_graph
from netmap.i18n import SOURCE_LANGUAGE, current_language
from netmap.names import display_name
from netmap.places import Places
from netmap.store.base import Network
from netmap.taxonomy import load_taxonomy

ACTOR_COLUMNS = [
    "name", "country", "city", "place", "place_label", "sector", "level", "kind",
    "services", "listed_services", "services_known_as", "stages", "collective", "languages",
    "last_verified",
]  # fmt: skip


def actor_table(network: Network, places: Places | None = None) -> pd.DataFrame:
    """Return one row per institution (index: id) with its pathway role and place.

    Columns: ``name`` (in the reader's language or script where stored:
    :func:`shown_names`), ``country``, ``city`` (display name; None without a city),
    ``place`` (the city key ``"{country}:{city}"``), ``place_label`` (``"Niš, RS"``),
    ``sector``, ``level``, ``kind``, ``services`` (offered: its own, else its sector's
    defaults), ``listed_services`` (its own only), ``services_known_as`` (how the offered
    services are known: the evidence of the listed ones — ``documented``, ``reported``,
    ``inferred`` or ``modelled`` —, ``assumed`` when they are only its sector's defaults,
    None when it offers none), ``stages`` (pathway stage keys it carries, in pathway order;
    none for a collective record, which stands for a group and carries no stage),
    ``collective`` and ``languages``; lists are tuples. Rows are in id order.
    """
    taxonomy = load_taxonomy()
    places = places or Places(network)
    institutions = network.institutions
    countries = institutions["country"].tolist()
    city_names = institutions["city"].tolist()
    sectors = institutions["sector"].tolist()
    listed = [tuple(services or ()) for services in institutions["services"].tolist()]
    collective = [bool(flag) for flag in _column(institutions, "collective", False)]
    known_as = [
        (own or row) if services else ("assumed" if taxonomy.default_services.get(sector) else None)
        for services, sector, own, row in zip(
            listed,
            sectors,
            _column(institutions, "services_evidence", None),
            _column(institutions, "evidence", "reported"),
            strict=True,
        )
    ]
    # Thousands of institutions share a city, and a sector with the same services: each
    # city and each role is worked out once.
    city_of = {}
    for key in set(zip(countries, city_names, strict=True)):
        city = places.of(*key)
        city_of[key] = (None if city.unnamed else city.name, city.key, city.label)
    role_of = {
        key: (taxonomy.services_of(*key), taxonomy.stages_of(*key))
        for key in set(zip(sectors, listed, strict=True))
    }
    cities = [city_of[key] for key in zip(countries, city_names, strict=True)]
    roles = [
        (services, () if group else stages)
        for (services, stages), group in zip(
            (role_of[key] for key in zip(sectors, listed, strict=True)), collective, strict=True
        )
    ]
    columns = {
        "id": institutions["id"].tolist(),
        "name": shown_names(institutions),
        "country": countries,
        "city": [name for name, _, _ in cities],
        "place": [key for _, key, _ in cities],
        "place_label": [label for _, _, label in cities],
        "sector": sectors,
        "level": institutions["level"].tolist(),
        "kind": institutions["kind"].tolist(),
        "services": [services for services, _ in roles],
        "listed_services": listed,
        "services_known_as": known_as,
        "stages": [stages for _, stages in roles],
        "collective": collective,
        "languages": [tuple(codes or ()) for codes in institutions["languages"].tolist()],
        "last_verified": institutions["last_verified"].tolist(),
    }
    # object dtype: missing values stay None (pandas would make text columns NaN-filled)
    frame = pd.DataFrame(columns, columns=["id", *ACTOR_COLUMNS], dtype=object)
    return frame.set_index("id").sort_index()


def _column(frame: pd.DataFrame, name: str, missing: object) -> list:
    """The values of ``frame[name]`` with None as ``missing`` (the whole column when the
    frame lacks it: a hand-built snapshot may)."""
    if name not in frame.columns:
        return [missing] * len(frame)
    return [missing if value is None else value for value in frame[name].tolist()]


def in_sentence(label: str) -> str:
    """Return a taxonomy label as written inside a sentence: ``"Health"`` -> ``"health"``,
    but ``"Red Cross and humanitarian"`` unchanged (a capital after the first letter marks
    a proper name)."""
    if not label or any(ch.isupper() for ch in label[1:]):
        return label
    return label[0].lower() + label[1:]


def shown_names(institutions: pd.DataFrame) -> list[str]:
    """The institutions' names as the current reader sees them first: the English ``name``
    for English readers (exactly as stored), else the local name where it is in the
    reader's language or script (:func:`netmap.names.display_name`)."""
    names = institutions["name"].tolist()
    language = current_language()
    if language == SOURCE_LANGUAGE or "name_local" not in institutions.columns:
        return names
    return [
        display_name(name, local, country=country, language=language)
        for name, local, country in zip(
            names,
            _column(institutions, "name_local", None),
            institutions["country"].tolist(),
            strict=True,
        )
    ]


def short_names(network: Network) -> dict[str, str]:
    """Return each institution's acronym, else its name (as the reader sees it first), by
    id (for chains in sentences)."""
    institutions = network.institutions
    return {
        i: acronym or name
        for i, acronym, name in zip(
            institutions["id"], institutions["acronym"], shown_names(institutions), strict=True
        )
    }


def path_graph(network: Network, use: TieUse, graph: nx.Graph | None = None) -> nx.Graph:
    """Return the cooperation graph (one edge per pair, with ``distance``) of the ties that
    serve ``use`` — ``cases`` for a case's pathway, ``introductions`` for an introduction
    path — to walk paths on.

    ``graph`` may be given to reuse one already built: an institution multigraph (or a
    cooperation graph of every tie) is projected for ``use``. Without it, the graph of the
    network's own ties is built; initiative co-participation never counts.
    """
    if graph is None:
        graph = institution_graph(network)
    return cooperation_graph(graph, use)
