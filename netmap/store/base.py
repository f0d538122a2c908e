"""The store protocol that every backend implements, and the values it exchanges.

A store holds one network. Writes are transactional; a batch (an import, a sync) lands
whole or not at all. Every write bumps the store's ``revision``, which the app uses as a
cache key, and appends to the change log.
"""

from __future__ import annotations

import builtins
import json
import operator
import secrets
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, cast, overload, runtime_checkable

from netmap.model import RECORD_KINDS, City, Contact, Institution, Record, RecordKind, name_key

if TYPE_CHECKING:
    # pandas is imported where a frame is made: counting, searching and writing need none,
    # and a command that only counts should not wait for it.
    import pandas as pd

# A progress callback receives (records done, records in all).
Progress = Callable[[int, int], None]


class RecordList(Sequence[Record]):
    """Validated records of one kind, kept as tuples of their field values.

    A big import holds over a million records: as pydantic objects they take gigabytes and
    seconds to build, as tuples a fraction of both. A record object is built, without
    validating again, only when one is asked for; stores write straight from the tuples.
    """

    def __init__(self, kind: RecordKind, rows: Iterable[tuple[Any, ...]] = ()):
        self.kind = kind
        self.fields: tuple[str, ...] = tuple(kind.model.model_fields)
        self._values_of = operator.attrgetter(*self.fields)
        self._rows = list(rows)

    @classmethod
    def of(cls, kind: RecordKind, records: Iterable[Record]) -> RecordList:
        if isinstance(records, RecordList):
            return records
        listed = cls(kind)
        for record in records:
            listed.append(record)
        return listed

    def values(self, record: Record) -> tuple[Any, ...]:
        """The tuple this list keeps for ``record``."""
        return self._values_of(record)

    def append(self, record: Record) -> None:
        self._rows.append(self.values(record))

    def __setitem__(self, position: int, record: Record) -> None:
        self._rows[position] = self.values(record)

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, position: int) -> Record: ...
    @overload
    def __getitem__(self, position: slice) -> RecordList: ...
    def __getitem__(self, position: int | slice) -> Record | RecordList:
        if isinstance(position, slice):
            return RecordList(self.kind, self._rows[position])
        return self.kind.model.model_construct(
            **dict(zip(self.fields, self._rows[position], strict=True))
        )

    def select(self, positions: Iterable[int]) -> RecordList:
        """The records at ``positions``, in that order."""
        return RecordList(self.kind, [self._rows[p] for p in positions])

    def column(self, name: str) -> list[Any]:
        """The values of one field, in order."""
        position = self.fields.index(name)
        return [row[position] for row in self._rows]

    def rows(self, columns: Sequence[str]) -> list[tuple[Any, ...]]:
        """The values of ``columns`` of every record, in order."""
        positions = [self.fields.index(name) for name in columns]
        if len(positions) == 1:
            return [(row[positions[0]],) for row in self._rows]
        return list(map(operator.itemgetter(*positions), self._rows))


@dataclass
class RecordSet:
    """Validated records to write together, by kind."""

    records: dict[RecordKind, RecordList] = field(
        default_factory=lambda: {kind: RecordList(kind) for kind in RECORD_KINDS}
    )

    def __post_init__(self) -> None:
        for kind in RECORD_KINDS:
            self.records[kind] = RecordList.of(kind, self.records.get(kind, ()))

    def __setitem__(self, kind: RecordKind, records: Iterable[Record]) -> None:
        self.records[kind] = RecordList.of(kind, records)

    def add(self, record: Record) -> None:
        self.records[record.record_kind].append(record)

    def __iter__(self) -> Iterator[Record]:
        for kind in RECORD_KINDS:
            yield from self.records[kind]

    def __len__(self) -> int:
        return sum(len(items) for items in self.records.values())

    def ids(self, kind: RecordKind) -> set[str]:
        return set(self.records[kind].column("id"))


def iter_rows(frame: pd.DataFrame) -> Iterator[dict[str, Any]]:
    """Yield the rows of ``frame`` as dicts, like ``frame.to_dict("records")`` but several
    times faster on the object columns of a :class:`Network` (no per-cell boxing).

    One at a time: a million ties held as dicts at once take over half a gigabyte.
    """
    columns = [str(c) for c in frame.columns]
    values = [frame[c].tolist() for c in frame.columns]
    return (dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True))


#: The columns of an outline (:meth:`GraphStore.outline`): enough to choose filters, to
#: count and draw places and to name institutions. Other kinds are left empty.
OUTLINE_COLUMNS: dict[RecordKind, tuple[str, ...]] = {
    RecordKind.CITY: ("id", "name", "name_local", "country", "lat", "lon"),
    RecordKind.INSTITUTION: ("id", "name", "name_local", "country", "city", "sector", "evidence"),
    RecordKind.TIE: (
        "source_id",
        "target_id",
        "kind",
        "since",
        "until",
        "initiative_id",
        "evidence",
    ),
}


#: The fields each searched kind is found by in the store's search table
#: (:meth:`GraphStore.search_words`): each record's own names, and for an institution its
#: id and city too. What a record is found by through another record (a contact through
#: its institution's name, an institution through its city's local name) is followed at
#: query time (:mod:`netmap.search_index`), so that a write changes one record's words.
SEARCHED_FIELDS: dict[RecordKind, tuple[str, ...]] = {
    RecordKind.INSTITUTION: ("name", "name_local", "acronym", "id", "city"),
    RecordKind.CONTACT: ("name", "role"),
    RecordKind.CITY: ("name", "name_local"),
    RecordKind.INITIATIVE: ("name",),
}


def words_of(values: Iterable[str | None]) -> list[str]:
    """The distinct words of ``values`` as search compares them (:func:`name_key`: any
    script folded to ASCII, lower case, transliteration digraphs merged), sorted."""
    return sorted({word for value in values if value for word in name_key(value).split()})


def search_rows(
    kind: RecordKind, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Iterator[tuple[str, str, str, bool]]:
    """The search table's rows for records of ``kind`` given as ``rows`` of ``columns``
    (which hold ``SEARCHED_FIELDS[kind]``): ``(word, kind, record id, personal)``, one per
    distinct word of each record. ``personal`` is True for a word that only a personal
    field (a contact's name) holds: a role below member must not find a person by it.
    """
    fields = SEARCHED_FIELDS[kind]
    position = [columns.index(name) for name in fields]
    at_id = columns.index("id")
    personal_fields = set(kind.model.personal_fields)
    keys: dict[str, list[str]] = {}

    def words(value: Any) -> list[str]:
        # Cities, roles and places repeat: fold each text once.
        if not value:
            return []
        found = keys.get(value)
        if found is None:
            found = keys[value] = name_key(value).split()
        return found

    for row in rows:
        record_id = row[at_id]
        public: set[str] = set()
        personal: set[str] = set()
        for name, place in zip(fields, position, strict=True):
            (personal if name in personal_fields else public).update(words(row[place]))
        for word in sorted(public | personal):
            yield word, kind.value, record_id, word not in public


@dataclass
class Network:
    """A snapshot of a whole network: one pandas DataFrame per record kind.

    Columns are the record's data fields plus ``updated_at`` and ``version``; list fields
    hold Python lists, dates ISO strings (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), missing
    values ``None``. Analysis, export and sync all start from here.

    An *outline* (``is_outline``) holds only the :data:`OUTLINE_COLUMNS`, ties in no
    particular order, and no contacts, initiatives or participations: at a million ties
    it is read in a fifth of the time of a snapshot, for the views that only filter,
    count and draw places. Functions that need every field refuse it.
    """

    tables: dict[RecordKind, pd.DataFrame]
    is_outline: bool = False

    def outlined(self) -> Network:
        """Return this network's outline (sharing its values, not copying them)."""
        if self.is_outline:
            return self
        return Network.outline_of(
            {kind: self.tables[kind][list(columns)] for kind, columns in OUTLINE_COLUMNS.items()}
        )

    @classmethod
    def outline_of(cls, tables: dict[RecordKind, pd.DataFrame]) -> Network:
        """Return the outline made of ``tables`` (a frame per kind of :data:`OUTLINE_COLUMNS`),
        the other kinds empty."""
        return cls(
            {
                kind: tables[kind] if kind in OUTLINE_COLUMNS else _empty_frame(kind)
                for kind in RECORD_KINDS
            },
            is_outline=True,
        )

    def require_whole(self, purpose: str) -> None:
        """Raise ``ValueError`` when this is an outline: ``purpose`` needs every field."""
        if self.is_outline:
            raise ValueError(f"{purpose} needs a whole snapshot, not an outline")

    @classmethod
    def from_rows(cls, rows: dict[RecordKind, list[dict[str, Any]]]) -> Network:
        """Build a network from plain dicts per kind (missing kinds are empty)."""
        import pandas as pd

        tables = {}
        for kind in RECORD_KINDS:
            frame = pd.DataFrame(rows.get(kind, []), columns=_columns(kind), dtype=object)
            tables[kind] = frame.astype(object).where(frame.notna(), None)
        return cls(tables)

    @classmethod
    def from_records(cls, records: Iterable[Record]) -> Network:
        rows: dict[RecordKind, list[dict[str, Any]]] = {kind: [] for kind in RECORD_KINDS}
        for record in records:
            rows[record.record_kind].append(record.model_dump())
        return cls.from_rows(rows)

    def __getitem__(self, kind: RecordKind) -> pd.DataFrame:
        return self.tables[kind]

    @property
    def institutions(self) -> pd.DataFrame:
        return self.tables[RecordKind.INSTITUTION]

    @property
    def contacts(self) -> pd.DataFrame:
        return self.tables[RecordKind.CONTACT]

    @property
    def ties(self) -> pd.DataFrame:
        return self.tables[RecordKind.TIE]

    @property
    def initiatives(self) -> pd.DataFrame:
        return self.tables[RecordKind.INITIATIVE]

    @property
    def participations(self) -> pd.DataFrame:
        return self.tables[RecordKind.PARTICIPATION]

    @property
    def cities(self) -> pd.DataFrame:
        return self.tables[RecordKind.CITY]

    @property
    def sources(self) -> pd.DataFrame:
        return self.tables[RecordKind.SOURCE]

    def counts(self) -> dict[RecordKind, int]:
        return {kind: len(self.tables[kind]) for kind in RECORD_KINDS}

    def records(self, kind: RecordKind) -> Iterator[Record]:
        """Yield the rows of ``kind`` as validated records (for sync and re-import)."""
        model = kind.model
        for row in self.tables[kind].to_dict("records"):
            yield model.model_validate(row)

    def record_set(self) -> RecordSet:
        batch = RecordSet()
        for kind in RECORD_KINDS:
            batch[kind] = self.records(kind)
        return batch


def _columns(kind: RecordKind) -> list[str]:
    """The columns of a :class:`Network` table of ``kind``."""
    return [*kind.model.data_fields(), *Record.BOOKKEEPING]


def _empty_frame(kind: RecordKind) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(columns=_columns(kind), dtype=object)


def check_columns(wanted: Mapping[RecordKind, Sequence[str]]) -> None:
    """Raise ``ValueError`` for a column that ``kind``'s table does not have: a column
    name reaches SQL and Cypher as a name, so only the records' own fields may."""
    for kind, columns in wanted.items():
        unknown = set(columns) - set(_columns(kind))
        if unknown:
            raise ValueError(f"{kind.value} has no column {', '.join(sorted(unknown))}")


def partial_network(tables: Mapping[RecordKind, pd.DataFrame]) -> Network:
    """The :class:`Network` of :meth:`GraphStore.columns`: ``tables`` for the kinds read,
    empty frames for the others."""
    return Network(
        {kind: tables[kind] if kind in tables else _empty_frame(kind) for kind in RECORD_KINDS}
    )


def most_common_first(counted: Iterable[tuple[Any, int, str]]) -> list[tuple[Any, int]]:
    """``(value, count, first id)`` rows as :meth:`GraphStore.tally` returns them: most
    first, equal counts by the first id that holds them (``Counter.most_common``'s order
    over rows read by id)."""
    ordered = sorted(counted, key=lambda row: (-row[1], row[2]))
    return [(value, count) for value, count, _ in ordered]


@dataclass
class Plan:
    """What writing a batch changes: ids that are new, updated or unchanged, by kind."""

    new: dict[RecordKind, list[str]] = field(default_factory=lambda: {k: [] for k in RECORD_KINDS})
    updated: dict[RecordKind, list[str]] = field(
        default_factory=lambda: {k: [] for k in RECORD_KINDS}
    )
    unchanged: dict[RecordKind, list[str]] = field(
        default_factory=lambda: {k: [] for k in RECORD_KINDS}
    )

    @property
    def changes(self) -> int:
        return sum(len(v) for v in self.new.values()) + sum(len(v) for v in self.updated.values())

    def summary(self) -> list[dict[str, Any]]:
        """One row per kind with the number of new, updated and unchanged records."""
        return [
            {
                "table": kind.value,
                "new": len(self.new[kind]),
                "updated": len(self.updated[kind]),
                "unchanged": len(self.unchanged[kind]),
            }
            for kind in RECORD_KINDS
        ]


@dataclass(frozen=True)
class Change:
    """One entry of the change log.

    ``fields`` maps each changed field to ``[before, after]`` for an update; it holds the
    record's content for a delete (so it can be undone; of a contact, only its
    institution: see :func:`logged_on_delete`) and is empty for a create.
    """

    seq: int
    at: str
    actor: str
    action: str
    kind: str
    record_id: str
    fields: dict[str, Any]
    revision: int


@dataclass(frozen=True)
class Account:
    """A user who may sign in to a shared netmap, and the role they hold.

    ``password_hash`` is an Argon2id hash (local sign-in); ``email`` is the identity an
    identity provider vouches for (OIDC sign-in). Either may be empty.
    """

    name: str
    role: str
    password_hash: str | None = None
    email: str | None = None
    created_at: str | None = None


@dataclass(frozen=True)
class FieldStamp:
    """When a field of a record was last set, and by which write: the change log's time
    (ISO 8601, UTC), the revision the write made and who made it."""

    at: str
    revision: int
    actor: str


@dataclass(frozen=True)
class ImportEntry:
    """One import of a file, as the store's import history keeps it.

    ``source`` is the file's name without its folders (``commission.xlsx``: the same
    whether it came from the command line or an upload), ``sha256`` its content's hash,
    ``saved_at`` when the file says it was saved (ISO 8601, UTC; None when it does not
    say). The store fills ``at``, ``actor`` and ``revision`` when it writes the import.
    """

    source: str
    sha256: str
    saved_at: str | None = None
    at: str = ""
    actor: str = ""
    revision: int = 0


ERASED = "[erased]"


def _cities(store: GraphStore, ids: Iterable[str]) -> dict[str, City]:
    return cast(dict[str, City], store.get_many(RecordKind.CITY, ids))


def _institutions(store: GraphStore, ids: Iterable[str]) -> dict[str, Institution]:
    return cast(dict[str, Institution], store.get_many(RecordKind.INSTITUTION, ids))


def search_network(store: GraphStore, words: Collection[str], personal: bool) -> Network:
    """The records a search must rank when ``words`` are the vocabulary words its query
    matched, with what their descriptions name: a :class:`Network` (rows by id) of

    - the records that have one of ``words`` among their own words (``found_by``);
    - the institutions whose city's local name has one (their city names the same place);
    - the contacts whose institution's acronym, else name, has one;
    - for every contact its institution, for every institution its city: each record's
      entry is then what it is in the index of the whole network.

    A search index built of this network ranks a query whose words match ``words``
    exactly as one built of the whole network: a record outside it matches no word of
    the query. ``personal`` False: as a role below member searches (no word of a
    contact's name counts).
    """
    words = set(words)
    found = store.found_by(words, personal=personal)
    cities = _cities(store, found.get(RecordKind.CITY, []))
    institutions = _institutions(store, found.get(RecordKind.INSTITUTION, []))
    # Institutions named by a matched city's local name: theirs is the city's name.
    local_named = {
        (city.country, name_key(city.name))
        for city in cities.values()
        if set(name_key(city.name_local).split()) & words
    }
    if local_named:
        places = {word for _, key in local_named for word in key.split()}
        more = store.found_by(places, personal=personal).get(RecordKind.INSTITUTION, [])
        for record_id, institution in _institutions(store, more).items():
            if (institution.country, name_key(institution.city)) in local_named:
                institutions[record_id] = institution
    contacts = cast(
        dict[str, Contact], store.get_many(RecordKind.CONTACT, found.get(RecordKind.CONTACT, []))
    )
    introduced = [
        record_id
        for record_id, institution in institutions.items()
        if set(name_key(institution.acronym or institution.name).split()) & words
    ]
    for contact in store.records_where(RecordKind.CONTACT, "institution_id", introduced):
        contacts[contact.id] = cast(Contact, contact)
    missing = {c.institution_id for c in contacts.values()} - set(institutions)
    institutions.update(_institutions(store, missing))
    # Every institution's city, for the local name its entry is found by too.
    places_of = {
        (institution.country, name_key(institution.city))
        for institution in institutions.values()
        if institution.city
    }
    city_words = {word for _, key in places_of for word in key.split()}
    nearby = store.found_by(city_words, personal=personal).get(RecordKind.CITY, [])
    for record_id, city in _cities(store, nearby).items():
        if (city.country, name_key(city.name)) in places_of:
            cities[record_id] = city
    initiatives = store.get_many(RecordKind.INITIATIVE, found.get(RecordKind.INITIATIVE, []))
    return Network.from_records(
        record
        for group in (institutions, contacts, cities, initiatives)
        for _, record in sorted(group.items())
    )


@runtime_checkable
class GraphStore(Protocol):
    """What every netmap store does. Both backends pass one contract test suite."""

    #: The store's URL as it may be shown to a user (never with a password).
    url: str
    #: Who the changes are made by (recorded in the change log).
    actor: str

    def revision(self) -> int:
        """Return a number that changes on every write (the app's cache key)."""

    def counts(self) -> dict[RecordKind, int]:
        """Return the number of stored records of each kind."""

    def get(self, kind: RecordKind, record_id: str) -> Record:
        """Return the record ``record_id`` of ``kind``; raise ``NotFound`` if absent."""

    def existing_ids(self, kind: RecordKind, ids: set[str]) -> set[str]:
        """Return those of ``ids`` that a stored record of ``kind`` has."""

    def list(self, kind: RecordKind) -> list[Record]:
        """Return every record of ``kind``, ordered by id."""

    def get_many(self, kind: RecordKind, ids: Iterable[str]) -> dict[str, Record]:
        """Return the stored records of ``kind`` among ``ids``, by id (absent ids left out)."""

    def add(self, record: Record) -> Record:
        """Store a new record; raise ``AlreadyExists`` or ``ReferenceProblem``."""

    def update(self, record: Record) -> Record:
        """Save an edited record whose ``version`` is the one it was read at.

        Raises ``Conflict`` when the stored version has moved on (someone saved first).
        Returns the record as stored, with its new version.
        """

    def delete(self, kind: RecordKind, record_id: str, version: int | None = None) -> None:
        """Delete a record (checking ``version`` when given).

        Deleting an institution also deletes its contacts, ties and participations, and
        deleting an initiative its participations and the initiative reference of its
        ties; every record removed is logged.
        """

    def plan(self, batch: RecordSet) -> Plan:
        """Return what :meth:`write` would change, writing nothing."""

    def write(
        self,
        batch: RecordSet,
        progress: Progress | None = None,
        *,
        expected_revision: int | None = None,
        imported: ImportEntry | None = None,
    ) -> Plan:
        """Insert or update every record of ``batch`` by id, all or nothing.

        Records equal to the stored ones are left alone, so writing the same batch twice
        changes nothing the second time. Returns what changed.

        With ``expected_revision``, raises ``Conflict`` and writes nothing when the
        store's revision is no longer that one (someone wrote since the batch was made
        from what the store held). ``imported`` is added to the import history in the
        same transaction, when anything changes.
        """

    def field_changes(
        self, kind: RecordKind, ids: Iterable[str]
    ) -> dict[str, dict[str, FieldStamp]]:
        """Return when each field of the records ``ids`` was last set, from the change log:
        ``{id: {field: stamp}}``. A record's creation sets all its fields. Records the log
        knows nothing about are left out; no value is returned, only times."""

    def imports(self, source: str | None = None) -> builtins.list[ImportEntry]:
        """Return the import history (of the file named ``source``), oldest first."""

    def snapshot(self) -> Network:
        """Return the whole network as DataFrames."""

    def outline(self) -> Network:
        """Return the network's outline (see :class:`Network`), read in one transaction."""

    def columns(self, wanted: Mapping[RecordKind, Sequence[str]]) -> Network:
        """Return the network with only the ``wanted`` columns of each kind, read in one
        transaction: rows ordered by id and values as in a :meth:`snapshot`; kinds not
        named are empty.

        For a command that uses a few fields of a big network: a snapshot of 100,000
        institutions reads every note, address and contact, and most of its time goes to
        columns the answer never looks at.
        """

    def tally(self, kind: RecordKind, column: str) -> builtins.list[tuple[Any, int]]:
        """Return each value of ``column`` among the records of ``kind`` with how many
        hold it: most first, equal counts in the order of the first record (by id) that
        holds them, the order ``Counter(snapshot[kind][column]).most_common()`` gives.
        Counted by the store, without reading the records."""

    def search_words(self, personal: bool = True) -> builtins.list[str]:
        """Return every distinct word the searched records are found by (see
        :data:`SEARCHED_FIELDS`), sorted: the vocabulary a query is matched against.
        ``personal`` False leaves out the words only a contact's name holds."""

    def found_by(
        self, words: Collection[str], personal: bool = True
    ) -> dict[RecordKind, builtins.list[str]]:
        """Return the ids of the searched records, by kind, that have one of ``words``
        among their own words (:data:`SEARCHED_FIELDS`; ``personal`` as for
        :meth:`search_words`), each sorted."""

    def search_network(self, words: Collection[str], personal: bool = True) -> Network:
        """Return what a search whose query matched ``words`` must rank: see
        :func:`search_network`."""

    def records_where(
        self, kind: RecordKind, column: str, values: Iterable[Any]
    ) -> builtins.list[Record]:
        """Return the records of ``kind`` whose ``column`` holds one of ``values``, by id."""

    def changes(
        self, record_id: str | None = None, limit: int | None = 200
    ) -> builtins.list[Change]:
        """Return the newest change-log entries first (all of them when ``limit`` is None)."""

    def erase_person(self, contact_id: str) -> str:
        """Erase a contact: delete it and scrub everything about it from the change log.

        Works on any contact id the store or its change log holds: also on a contact that
        was deleted (alone or with its institution) and is now only in the log; raises
        ``NotFound`` when neither knows it. Log entries about the contact are kept, under
        a new random pseudonym (returned), with every value replaced by ``ERASED`` except
        those :func:`erased_fields` keeps; an ``erase`` entry records that it happened. No
        copy of the values may remain in the store's files.
        """

    def erase_everything(self) -> None:
        """Delete every record, the change log and the accounts (tests)."""

    def replace_everything(
        self,
        batch: RecordSet,
        accounts: Sequence[Account],
        history: Sequence[Change],
        source: str,
    ) -> None:
        """Replace every record, the change log and the accounts: a restore.

        ``batch`` holds validated records (as an import validates them), written as
        :meth:`write` writes new records; ``history`` the change log to keep, oldest
        first (renumbered in that order, each entry with its own time, author and
        revision); then a ``restore`` entry naming ``source``. The revision moves on.
        Nothing but records, entries and accounts is taken from anywhere: the store keeps
        exactly the schema netmap creates. SQLite does all of it in one transaction;
        Neo4j erases in batches first (see :meth:`erase_everything`), then writes in one.
        """

    def accounts(self) -> builtins.list[Account]:
        """Return the accounts allowed to sign in, by name."""

    def save_account(self, account: Account) -> None:
        """Create or replace the account ``account.name``."""

    def remove_account(self, name: str) -> None:
        """Remove an account; raise ``NotFound`` if there is none."""

    def close(self) -> None:
        """Release the store's connections."""


def pseudonym() -> str:
    """A new stand-in for an erased person's id.

    Random, not derived from the id: a contact's id is often made from their name
    (``…-drazhomira-vexlerova``), and any function of it could be reversed by guessing
    names. Each erasure gets its own.
    """
    return "erased-" + secrets.token_hex(8)


def erased_fields(kind: RecordKind, action: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Return a change-log entry's ``fields`` about an erased record of ``kind``.

    Every value is replaced by ``ERASED`` (``[ERASED, ERASED]`` for an edit's before and
    after), the person's role text, languages and dates as much as their name, e-mail
    and phone, except the references to other records (a contact's institution), which
    say nothing about the person. The field names stay: the log still says what changed.
    """
    pair = action in ("update", "conflict")
    return {
        name: value
        if name in kind.references
        else ([ERASED, ERASED] if pair and isinstance(value, list) else ERASED)
        for name, value in fields.items()
    }


def logged_on_delete(record: Record) -> dict[str, Any]:
    """What the change log keeps of a deleted record: all of it (so a delete can be
    undone), except for a record about a person (a contact), whose entry keeps only
    what :func:`erased_fields` would keep. Deleting is how most people "remove" someone;
    the log must not become the one place their details live on."""
    if not record.personal_fields:
        return record.data()
    return {name: getattr(record, name) for name in record.references}


def dependents(kind: RecordKind) -> list[tuple[RecordKind, str]]:
    """The (kind, field) pairs whose records refer to a record of ``kind``."""
    return [
        (other, column)
        for other in RECORD_KINDS
        for column, target in other.references.items()
        if target is kind
    ]


def field_stamps(
    kind: RecordKind, entries: Iterable[tuple[str, str, str, str, int, str]]
) -> dict[str, dict[str, FieldStamp]]:
    """Fold change-log entries into the last stamp of each field of each record.

    ``entries`` are ``(record_id, action, fields as JSON text, at, revision, actor)``,
    oldest first, of the actions ``create`` (every field set) and ``update`` (the fields
    named). Both stores answer :meth:`GraphStore.field_changes` with it.
    """
    every_field = kind.model.data_fields()
    stamps: dict[str, dict[str, FieldStamp]] = {}
    for record_id, action, fields, at, revision, actor in entries:
        stamp = FieldStamp(at, int(revision), actor)
        names = every_field if action == "create" else list(json.loads(fields or "{}"))
        stamps.setdefault(record_id, {}).update(dict.fromkeys(names, stamp))
    return stamps


def expected_revision_message(expected: int, current: int) -> str:
    """The one message both stores give when a write was prepared on an older revision."""
    return (
        f"the store changed since this was checked (revision {expected}, now {current}: "
        "someone saved meanwhile); nothing was written: check it again"
    )


def record_diff(before: Record, after: Record) -> dict[str, list[Any]]:
    """Each field that differs, as ``{field: [before, after]}`` (the change log's form)."""
    old, new = before.data(), after.data()
    return {name: [old[name], new[name]] for name in new if old.get(name) != new[name]}


def conflict_message(kind: RecordKind, stored: Record, version: int) -> str:
    """The one message both stores give when someone else saved a record first."""
    return (
        f"{kind.label} {stored.id!r} was changed by someone else since you opened it "
        f"(you edited version {version}, the store now has version {stored.version}, saved "
        f"{stored.updated_at}); reload it and make your edit again"
    )
