"""What each analysis reads of a network: the columns to ask a store for
(:meth:`netmap.store.base.GraphStore.columns`) instead of a whole snapshot.

At 100,000 institutions a snapshot reads a million ties and every institution's notes,
addresses and quotes, and most of a command's time went to columns its answer never looks
at. Each set below is what the analysis (and the filters and the leaving out of modelled
records it applies first) uses; kinds left out are read as empty. The tests compare each
command's answer on these columns with its answer on a whole snapshot
(``tests/test_store_reads.py``): a column used but not listed changes an answer there or
raises ``KeyError``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from netmap.model import Record, RecordKind

Columns = Mapping[RecordKind, Sequence[str]]


def _every(kind: RecordKind) -> tuple[str, ...]:
    """Every column of ``kind`` (for the kinds a network holds few of)."""
    return (*kind.model.data_fields(), *Record.BOOKKEEPING)


# What filter_network and leave_out_modelled use of the kinds an analysis does not
# otherwise read: evidence (modelled or not) and the references to follow.
_FILTERED_PARTICIPATIONS = ("id", "institution_id", "initiative_id", "role", "evidence")
_FILTERED_INITIATIVES = ("id", "name", "kind", "start", "end", "evidence")
_FILTERED_CITIES = ("id", "name", "name_local", "country", "lat", "lon", "evidence")

#: :func:`netmap.analysis.metrics.network_metrics`: institutions' names and places, the
#: ties' ends, kinds, strengths and dates; initiatives and participations for implied ties.
METRICS: Columns = {
    RecordKind.INSTITUTION: ("id", "name", "country", "city", "sector", "evidence"),
    RecordKind.TIE: (
        "id",
        "source_id",
        "target_id",
        "kind",
        "directed",
        "strength",
        "since",
        "until",
        "initiative_id",
        "evidence",
    ),
    RecordKind.PARTICIPATION: _FILTERED_PARTICIPATIONS,
    RecordKind.INITIATIVE: _FILTERED_INITIATIVES,
    RecordKind.CITY: _FILTERED_CITIES,
}

#: :func:`netmap.analysis.pathways.introduction_route` (a path and its steps), and the names
#: of a chain (:func:`netmap.analysis.actors.short_names`): the graph of every tie over
#: institutions that carry their names and country.
PATH: Columns = {
    RecordKind.INSTITUTION: ("id", "name", "name_local", "acronym", "country", "evidence"),
    RecordKind.TIE: (
        "id",
        "source_id",
        "target_id",
        "kind",
        "strength",
        "initiative_id",
        "evidence",
    ),
    RecordKind.INITIATIVE: ("id", "evidence"),
}

#: :func:`netmap.analysis.gaps.gaps`: the actors' sectors, services, groups and places and
#: how each is known; the ties' ends, kinds and direction; who verified what when (stale
#: records); the sources, cities and initiatives whole (they are few). Not read: the
#: notes, quotes, addresses and contact details, which no finding uses.
GAPS: Columns = {
    RecordKind.INSTITUTION: (
        "id",
        "source",
        "last_verified",
        "evidence",
        "name",
        "name_local",
        "acronym",
        "sector",
        "kind",
        "level",
        "country",
        "city",
        "services",
        "languages",
        "target_groups",
        "services_evidence",
        "collective",
    ),
    RecordKind.TIE: (
        "id",
        "source",
        "last_verified",
        "evidence",
        "source_id",
        "target_id",
        "kind",
        "directed",
        "strength",
        "initiative_id",
    ),
    RecordKind.CONTACT: ("id", "source", "last_verified", "evidence", "institution_id", "name"),
    RecordKind.PARTICIPATION: (
        "id",
        "source",
        "evidence",
        "institution_id",
        "initiative_id",
        "role",
    ),
    RecordKind.INITIATIVE: _every(RecordKind.INITIATIVE),
    RecordKind.CITY: _every(RecordKind.CITY),
    RecordKind.SOURCE: _every(RecordKind.SOURCE),
}

#: :func:`netmap.analysis.finder.find_contacts`: what a candidate is ranked by (sector,
#: services, languages, groups, how recently verified) and shows (names, place, contact
#: details), the ties' ends, kinds and strengths for the trust distance; the cities for a
#: city named in any script.
FINDER: Columns = {
    RecordKind.INSTITUTION: (
        "id",
        "source",
        "last_verified",
        "evidence",
        "name",
        "name_local",
        "acronym",
        "sector",
        "kind",
        "level",
        "country",
        "city",
        "services",
        "languages",
        "target_groups",
        "email",
        "phone",
        "services_evidence",
        "collective",
    ),
    RecordKind.CONTACT: (
        "id",
        "source",
        "last_verified",
        "evidence",
        "institution_id",
        "name",
        "role",
        "email",
        "phone",
        "languages",
        "focal_point",
        "legal_basis",
    ),
    RecordKind.TIE: (
        "id",
        "evidence",
        "source_id",
        "target_id",
        "kind",
        "directed",
        "strength",
        "initiative_id",
    ),
    RecordKind.PARTICIPATION: _FILTERED_PARTICIPATIONS,
    RecordKind.INITIATIVE: _FILTERED_INITIATIVES,
    RecordKind.CITY: _every(RecordKind.CITY),
}
