"""Who is using the app, and the one gate every page passes.

Local mode (one person, on their own computer): the user is the operating-system user and
an admin. :func:`current_role` is the seam where sign-in (``st.login``) will plug in; until
then ``NETMAP_ROLE`` may *lower* the role of everyone using this app (a read-only screen in
a meeting room, or a test of what a viewer sees). The role decides through
:mod:`netmap.access`, which the store the pages use (:class:`~netmap.access.GuardedStore`)
enforces again: hiding a widget here is a convenience, not the control.
"""

from __future__ import annotations

import os
from typing import Any

import streamlit as st

from netmap.access import GuardedStore, Role, User
from netmap.errors import AccessDenied
from netmap.store import current_user
from netmap.store.base import GraphStore

ROLES = ("viewer", "member", "editor", "admin")
_WHAT = {
    "viewer": "see the network",
    "member": "see contacts",
    "editor": "change the network",
    "admin": "administer netmap",
}
HIDDEN = "(members only)"


def current_role() -> str:
    """Return the role of the person using the app: ``"admin"`` in local mode.

    ``NETMAP_ROLE`` (viewer, member, editor or admin) sets a lower role for this app.
    """
    configured = os.environ.get("NETMAP_ROLE", "").strip().lower()
    return configured if configured in ROLES else "admin"


def current_user_record() -> User:
    """Return the person using the app as a :class:`netmap.access.User`."""
    return User(name=current_user(), role=Role.parse(current_role()))


def allowed(role: str) -> bool:
    """True when the current role is ``role`` or above."""
    return Role.parse(current_role()) >= Role.parse(role)


def require(role: str) -> None:
    """Stop the page with a message unless the current role is ``role`` or above.

    Every page calls this first: the one gate of the app.
    """
    if role not in ROLES:
        raise AccessDenied(f"unknown role {role!r} (one of: {', '.join(ROLES)})")
    if not allowed(role):
        st.error(
            f"This page needs the role **{role}** or above (to {_WHAT[role]}); you are signed "
            f"in as **{current_role()}**. Ask the person who runs this netmap for access."
        )
        st.stop()


def guard(store: GraphStore) -> GuardedStore:
    """Return ``store`` seen through the current user's role."""
    return GuardedStore(store, current_user_record())


def personal(value: Any) -> str:
    """Return a contact's personal detail (e-mail, phone, name) if the role may see it.

    The one place the app decides whether member-only data is shown.
    """
    if not allowed("member"):
        return HIDDEN
    return "" if value is None else str(value)
