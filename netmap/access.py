"""Who may do what: roles, the one permission check, and a store that enforces it.

Neo4j Community Edition gives every user full access, so netmap enforces roles itself,
here, for both stores alike. The app and the CLI never reach a store except through
:class:`GuardedStore`; hiding a widget is a convenience, not the control.

- viewer: institutions, ties, initiatives, analysis; contacts without personal fields
- member: also contacts' names, e-mails and phones
- editor: also edits and imports
- admin: also the change log, users, erasure, backups and restores
"""

from __future__ import annotations

import builtins
import copy
import hashlib
import hmac
import secrets
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any

from netmap.errors import AccessDenied
from netmap.model import Contact, Record, RecordKind
from netmap.store.base import (
    Account,
    Change,
    FieldStamp,
    GraphStore,
    ImportEntry,
    Network,
    Plan,
    Progress,
    RecordSet,
)


class Role(IntEnum):
    """Roles in increasing order of trust: each may do all that the ones below may."""

    VIEWER = 1
    MEMBER = 2
    EDITOR = 3
    ADMIN = 4

    @classmethod
    def parse(cls, name: str) -> Role:
        try:
            return cls[name.strip().upper()]
        except KeyError:
            roles = ", ".join(role.name.lower() for role in cls)
            raise AccessDenied(f"unknown role {name!r} (one of: {roles})") from None

    def __str__(self) -> str:
        return self.name.lower()


class Action(StrEnum):
    """What a user may be allowed to do; the value says it in words for messages."""

    READ_NETWORK = "see the network"
    READ_PERSONAL = "see contacts' personal details"
    EDIT = "edit records"
    IMPORT = "import data"
    VIEW_LOG = "see the change log"
    MANAGE_USERS = "manage users"
    ERASE = "erase a person's data"
    BACKUP = "make or restore backups"


MINIMUM_ROLE: dict[Action, Role] = {
    Action.READ_NETWORK: Role.VIEWER,
    Action.READ_PERSONAL: Role.MEMBER,
    Action.EDIT: Role.EDITOR,
    Action.IMPORT: Role.EDITOR,
    Action.VIEW_LOG: Role.ADMIN,
    Action.MANAGE_USERS: Role.ADMIN,
    Action.ERASE: Role.ADMIN,
    Action.BACKUP: Role.ADMIN,
}


@dataclass(frozen=True)
class User:
    """Someone acting on the network, with the role they hold."""

    name: str
    role: Role


def allowed(user: User, action: Action) -> bool:
    """True when ``user``'s role permits ``action``."""
    return user.role >= MINIMUM_ROLE[action]


def require(user: User, action: Action) -> None:
    """Raise :class:`AccessDenied` unless ``user`` may do ``action``: the one check."""
    if not allowed(user, action):
        needed = MINIMUM_ROLE[action]
        raise AccessDenied(
            f"{user.name} is a {user.role} and may not {action.value} (needs {needed} or above)"
        )


#: What a role below member never sees of a contact: the personal fields, and the free
#: text that may quote or name the person (the source's words, who reported them, what
#: they were inferred from). The role and the institution stay: a viewer sees contacts
#: "by role and institution".
HIDDEN_FROM_VIEWERS: tuple[str, ...] = (
    *Contact.personal_fields,
    "quote",
    "reported_by",
    "inferred_from",
)
# A key of this process alone: pseudonyms are stable while it runs (a page can match a
# search hit to its row) and cannot be linked from one run, or one command, to the next.
_PSEUDONYM_KEY = secrets.token_bytes(32)


def contact_pseudonym(contact_id: str) -> str:
    """The id a role below member sees for a contact: ids are often made from the
    person's name (``…-drazhomira-vexlerova``), so the real one is never shown."""
    digest = hmac.new(_PSEUDONYM_KEY, contact_id.encode("utf-8"), hashlib.sha256)
    return "contact-" + digest.hexdigest()[:12]


def redact_contact(contact: Record) -> Record:
    """Return a contact as a role below member sees it: no personal fields, no free text
    that may name the person, and a pseudonymous id."""
    return contact.model_copy(
        update={**dict.fromkeys(HIDDEN_FROM_VIEWERS), "id": contact_pseudonym(contact.id)}
    )


def redact_network(network: Network) -> Network:
    """Return ``network`` with contacts as a role below member sees them (see
    :func:`redact_contact`)."""
    import pandas as pd

    tables = dict(network.tables)
    contacts = tables[RecordKind.CONTACT].copy()
    for field in HIDDEN_FROM_VIEWERS:
        contacts[field] = pd.Series([None] * len(contacts), index=contacts.index, dtype=object)
    if "id" in contacts.columns:  # a network of some columns may not hold it
        contacts["id"] = pd.Series(
            [contact_pseudonym(i) for i in contacts["id"]], index=contacts.index, dtype=object
        )
    tables[RecordKind.CONTACT] = contacts
    return Network(tables)


class GuardedStore:
    """A store seen through one user's role. Implements :class:`GraphStore`.

    Every method checks the role before it reaches the store; reads by a viewer return
    contacts without their personal fields.
    """

    def __init__(self, store: GraphStore, user: User):
        # A copy, so that the actor is this user's alone: the app shares one store object
        # between sessions (a SQLite store holds a path; a Neo4j store shares its driver).
        self.store = copy.copy(store)
        self.store.actor = user.name
        self.user = user
        self.url = store.url
        self.actor = user.name

    def _require(self, action: Action) -> None:
        require(self.user, action)

    def _visible(self, records: Iterable[Record]) -> list[Record]:
        if allowed(self.user, Action.READ_PERSONAL):
            return list(records)
        return [redact_contact(r) if r.record_kind is RecordKind.CONTACT else r for r in records]

    def revision(self) -> int:
        self._require(Action.READ_NETWORK)
        return self.store.revision()

    def counts(self) -> dict[RecordKind, int]:
        self._require(Action.READ_NETWORK)
        return self.store.counts()

    def _require_to_look_up(self, kind: RecordKind) -> None:
        # Contact ids are often made from names: below member, looking one up would tell
        # whether that person is listed.
        self._require(Action.READ_PERSONAL if kind is RecordKind.CONTACT else Action.READ_NETWORK)

    def existing_ids(self, kind: RecordKind, ids: set[str]) -> set[str]:
        self._require_to_look_up(kind)
        return self.store.existing_ids(kind, ids)

    def get(self, kind: RecordKind, record_id: str) -> Record:
        self._require_to_look_up(kind)
        return self._visible([self.store.get(kind, record_id)])[0]

    def list(self, kind: RecordKind) -> list[Record]:
        self._require(Action.READ_NETWORK)
        return self._visible(self.store.list(kind))

    def get_many(self, kind: RecordKind, ids: Iterable[str]) -> dict[str, Record]:
        self._require_to_look_up(kind)
        found = self.store.get_many(kind, ids)
        return dict(zip(found, self._visible(found.values()), strict=True))

    def snapshot(self) -> Network:
        self._require(Action.READ_NETWORK)
        network = self.store.snapshot()
        return network if allowed(self.user, Action.READ_PERSONAL) else redact_network(network)

    def outline(self) -> Network:
        self._require(Action.READ_NETWORK)
        return self.store.outline()  # holds no contact, so nothing to redact

    def columns(self, wanted: Mapping[RecordKind, Sequence[str]]) -> Network:
        self._require(Action.READ_NETWORK)
        network = self.store.columns(wanted)
        if RecordKind.CONTACT not in wanted or allowed(self.user, Action.READ_PERSONAL):
            return network
        return redact_network(network)

    def search_words(self, personal: bool = True) -> builtins.list[str]:
        self._require(Action.READ_NETWORK)
        return self.store.search_words(personal and allowed(self.user, Action.READ_PERSONAL))

    def found_by(
        self, words: Collection[str], personal: bool = True
    ) -> dict[RecordKind, builtins.list[str]]:
        self._require(Action.READ_NETWORK)
        found = self.store.found_by(words, personal and allowed(self.user, Action.READ_PERSONAL))
        if not allowed(self.user, Action.READ_PERSONAL):
            found.pop(RecordKind.CONTACT, None)  # contact ids name people
        return found

    def search_network(self, words: Collection[str], personal: bool = True) -> Network:
        self._require(Action.READ_NETWORK)
        if allowed(self.user, Action.READ_PERSONAL):
            return self.store.search_network(words, personal)
        return redact_network(self.store.search_network(words, personal=False))

    def records_where(
        self, kind: RecordKind, column: str, values: Iterable[Any]
    ) -> builtins.list[Record]:
        self._require_to_look_up(kind)
        return self._visible(self.store.records_where(kind, column, values))

    def tally(self, kind: RecordKind, column: str) -> builtins.list[tuple[Any, int]]:
        self._require(Action.READ_PERSONAL if kind is RecordKind.CONTACT else Action.READ_NETWORK)
        return self.store.tally(kind, column)

    def add(self, record: Record) -> Record:
        self._require(Action.EDIT)
        return self.store.add(record)

    def update(self, record: Record) -> Record:
        self._require(Action.EDIT)
        return self.store.update(record)

    def delete(self, kind: RecordKind, record_id: str, version: int | None = None) -> None:
        self._require(Action.EDIT)
        self.store.delete(kind, record_id, version)

    def plan(self, batch: RecordSet) -> Plan:
        self._require(Action.IMPORT)
        return self.store.plan(batch)

    def write(
        self,
        batch: RecordSet,
        progress: Progress | None = None,
        *,
        expected_revision: int | None = None,
        imported: ImportEntry | None = None,
    ) -> Plan:
        self._require(Action.IMPORT)
        return self.store.write(
            batch, progress=progress, expected_revision=expected_revision, imported=imported
        )

    def field_changes(
        self, kind: RecordKind, ids: Iterable[str]
    ) -> dict[str, dict[str, FieldStamp]]:
        # Times and authors only, no values: what an import needs to find conflicts.
        self._require(Action.IMPORT)
        return self.store.field_changes(kind, ids)

    def imports(self, source: str | None = None) -> builtins.list[ImportEntry]:
        self._require(Action.IMPORT)
        return self.store.imports(source)

    def changes(
        self, record_id: str | None = None, limit: int | None = 200
    ) -> builtins.list[Change]:
        self._require(Action.VIEW_LOG)
        return self.store.changes(record_id=record_id, limit=limit)

    def erase_person(self, contact_id: str) -> str:
        self._require(Action.ERASE)
        return self.store.erase_person(contact_id)

    def erase_everything(self) -> None:
        self._require(Action.BACKUP)
        self.store.erase_everything()

    def replace_everything(
        self,
        batch: RecordSet,
        accounts: Sequence[Account],
        history: Sequence[Change],
        source: str,
    ) -> None:
        self._require(Action.BACKUP)
        self.store.replace_everything(batch, accounts, history, source)

    def accounts(self) -> builtins.list[Account]:
        self._require(Action.MANAGE_USERS)
        return self.store.accounts()

    def save_account(self, account: Account) -> None:
        self._require(Action.MANAGE_USERS)
        self.store.save_account(account)

    def remove_account(self, name: str) -> None:
        self._require(Action.MANAGE_USERS)
        self.store.remove_account(name)

    def close(self) -> None:
        self.store.close()

    def __getattr__(self, name: str) -> Any:
        # Anything not listed above is not reachable through a guarded store.
        raise AttributeError(f"{name!r} is not available through a guarded store")
