"""Personal data of contacts: access, erasure and retention (GDPR articles 14, 15, 17, 5(1)(e)).

A contact is a professional's personal data. These functions let an admin answer a
person's request (everything held about them; erase them) and see which contacts are due
for re-verification or have not been told they are listed.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any, cast

import pandas as pd

from netmap.access import Action, User, require
from netmap.dates import months_since
from netmap.errors import NotFound
from netmap.model import Contact, Institution, RecordKind
from netmap.store.base import GraphStore, Network


def person_export(store: GraphStore, acting: User, contact_id: str) -> dict[str, Any]:
    """Everything held about one contact: the record and every change-log entry about it.

    Nothing about anyone else: the institution appears only by id and name. A contact
    that was deleted is still answered for: ``contact`` is then None and the log entries
    are what is held. Raises ``NotFound`` when neither the store nor its log knows the id.
    """
    require(acting, Action.ERASE)
    changes = [
        asdict(change)
        for change in store.changes(record_id=contact_id, limit=None)
        if change.kind == RecordKind.CONTACT.value
    ]
    try:
        contact = cast(Contact, store.get(RecordKind.CONTACT, contact_id))
    except NotFound:
        if not changes:
            raise
        return {"contact": None, "institution": None, "changes": changes}
    institution = cast(Institution, store.get(RecordKind.INSTITUTION, contact.institution_id))
    return {
        "contact": contact.model_dump(),
        "institution": {"id": institution.id, "name": institution.name},
        "changes": changes,
    }


def erase_person(store: GraphStore, acting: User, contact_id: str) -> str:
    """Erase a contact and scrub them from the change log; return the pseudonym left behind.

    Also a contact that was deleted, alone or with its institution: the change log
    remembers it until it is erased.
    """
    require(acting, Action.ERASE)
    return store.erase_person(contact_id)


def stale_contacts(network: Network, months: int = 12, today: date | None = None) -> pd.DataFrame:
    """Contacts not verified within ``months`` (or never), oldest first.

    Columns: id, name, institution_id, last_verified, months_since (None when never).
    """
    today = today or date.today()
    rows = []
    for contact in network.contacts.to_dict("records"):
        age = months_since(contact["last_verified"], today, from_first_day=True)
        if age is None or age > months:
            rows.append(
                {
                    "id": contact["id"],
                    "name": contact["name"],
                    "institution_id": contact["institution_id"],
                    "last_verified": contact["last_verified"],
                    "months_since": age,
                }
            )
    frame = pd.DataFrame(
        rows, columns=["id", "name", "institution_id", "last_verified", "months_since"]
    )
    order = frame["months_since"].fillna(10**6)
    return (
        frame.assign(_order=order)
        .sort_values(["_order", "id"], ascending=[False, True])
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def uninformed_contacts(network: Network) -> pd.DataFrame:
    """Contacts not yet told that they are listed (GDPR art. 14): no ``informed_on`` date."""
    contacts = network.contacts
    waiting = contacts[contacts["informed_on"].isna()]
    return waiting[["id", "name", "institution_id", "source"]].reset_index(drop=True)
