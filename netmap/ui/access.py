"""Who is using the app, and the one gate every page passes.

Two modes.

- **Local mode** (the default: the store holds no account and ``NETMAP_MODE`` is not
  ``team``): one person on their own computer. The user is the operating-system user and
  an admin, and only a browser on the same computer is let in.
- **Team mode** (the store holds at least one account, or ``NETMAP_MODE=team``): deny by
  default. Until someone signs in, every page shows only the sign-in screen. People sign
  in with a name and password (:func:`netmap.accounts.sign_in`) or, where Streamlit's
  ``[auth]`` secrets name an identity provider, with their organisation (``st.login``).
  ``st.login`` proves only who someone is: netmap maps the verified e-mail to an account
  (:func:`netmap.accounts.user_for_email`, the allow-list) and signs out an identity whose
  token has expired.

In both modes ``NETMAP_ROLE`` may only *lower* the role (a read-only screen in a meeting
room, or a test of what a viewer sees). The role decides through :mod:`netmap.access`,
which the store the pages use (:class:`~netmap.access.GuardedStore`) enforces again:
hiding a widget here is a convenience, not the control.
"""

from __future__ import annotations

import importlib.util
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from netmap import accounts as account_book
from netmap.access import GuardedStore, Role, User
from netmap.errors import AccessDenied
from netmap.i18n import N_
from netmap.i18n import gettext as _
from netmap.store import current_user
from netmap.store.base import Account, GraphStore
from netmap.ui.browser import from_elsewhere, host_allowed, host_header
from netmap.ui.stores import raw_store
from netmap.ui.text import minutes

ROLES = ("viewer", "member", "editor", "admin")
#: The roles as people read them (translated where shown: :func:`role_label`).
ROLE_LABELS = {
    # Translators: the role that may see the network (institutions, ties, analyses).
    "viewer": N_("viewer"),
    # Translators: the role that may also see contacts (people's names, e-mails, phones).
    "member": N_("member"),
    # Translators: the role that may also edit and import.
    "editor": N_("editor"),
    # Translators: the role that may also manage accounts, backups and erasures.
    "admin": N_("admin"),
}
#: A page's refusal, whole, for each role it needs.
_REFUSALS = {
    "viewer": N_(
        "This page needs the role **%(role)s** or above (to see the network); you are signed "
        "in as **%(current)s**. Ask the person who runs this netmap for access."
    ),
    "member": N_(
        "This page needs the role **%(role)s** or above (to see contacts); you are signed in "
        "as **%(current)s**. Ask the person who runs this netmap for access."
    ),
    "editor": N_(
        "This page needs the role **%(role)s** or above (to change the network); you are "
        "signed in as **%(current)s**. Ask the person who runs this netmap for access."
    ),
    "admin": N_(
        "This page needs the role **%(role)s** or above (to administer netmap); you are "
        "signed in as **%(current)s**. Ask the person who runs this netmap for access."
    ),
}
#: What a role that may not see a contact's detail sees in its place (:func:`personal`).
HIDDEN = N_("(members only)")


def role_label(role: str) -> str:
    """``role`` (``"editor"``) as people read it, in the current language."""
    return _(ROLE_LABELS[role]) if role in ROLE_LABELS else role


#: Session key: the account signed in with a password.
SIGNED_IN = "netmap-signed-in"
#: How long the app trusts its copy of the accounts: a role changed or an account removed
#: on the command line takes effect within this many seconds.
ACCOUNTS_TTL = 5


# --- accounts and mode ------------------------------------------------------------------


@dataclass(frozen=True)
class AccountList:
    """The store's accounts as read a moment ago; offers ``accounts()`` like a store.

    :mod:`netmap.accounts` looks people up through ``store.accounts()`` only, so it works
    on this list as on the store itself.
    """

    items: tuple[Account, ...]

    def accounts(self) -> list[Account]:
        return list(self.items)


@st.cache_resource(ttl=ACCOUNTS_TTL, show_spinner=False)
def _accounts(url: str) -> AccountList:
    return AccountList(tuple(raw_store().accounts()))


def account_list() -> AccountList:
    """The accounts of the app's store (read at most every :data:`ACCOUNTS_TTL` seconds)."""
    from netmap.store import default_store_url

    return _accounts(default_store_url())


def forget_accounts() -> None:
    """Read the accounts again on the next use (after the admin page changed them)."""
    _accounts.clear()


def team_mode() -> bool:
    """True when people must sign in: the store has an account, or ``NETMAP_MODE=team``."""
    if os.environ.get("NETMAP_MODE", "").strip().lower() == "team":
        return True
    return bool(account_list().items)


def mode() -> str:
    """``"team"`` or ``"local"``."""
    return "team" if team_mode() else "local"


# --- identity providers (st.login) ------------------------------------------------------


def auth_settings() -> Mapping[str, Any] | None:
    """The ``[auth]`` section of Streamlit's secrets, or None when sign-in is not set up."""
    try:
        section = st.secrets.get("auth")
    except FileNotFoundError:  # no secrets file at all (StreamlitSecretNotFoundError)
        return None
    return section if isinstance(section, Mapping) and section else None


def identity_providers(auth: Mapping[str, Any]) -> list[str | None]:
    """The providers ``st.login`` can be asked for: named ones, else the unnamed default.

    A named provider is a sub-table ``[auth.NAME]``; ``client_kwargs`` is a setting of the
    unnamed one.
    """
    named = [
        name
        for name, value in auth.items()
        if isinstance(value, Mapping) and name != "client_kwargs"
    ]
    if named:
        return [*sorted(named)]
    return [None] if auth.get("client_id") else []


@dataclass(frozen=True)
class IdentityCheck:
    """What netmap makes of an identity provider's sign-in.

    ``user`` when the identity is allowed in; ``expired`` when its token has run out (sign
    it out); else ``refusal`` says why it is not let in (empty when nobody is signed in).
    """

    user: User | None = None
    expired: bool = False
    refusal: str = ""


def _is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def check_identity(
    claims: Mapping[str, Any], lookup: Callable[[str], User | None], now: float
) -> IdentityCheck:
    """Decide whether the identity in ``claims`` (``st.user``) may use this netmap.

    Parameters
    ----------
    claims
        The identity token's claims as ``st.user`` holds them (``is_logged_in``,
        ``email``, ``email_verified``, ``exp`` in seconds since 1970…).
    lookup
        Maps a verified e-mail to its user, or None when it is not on the allow-list.
    now
        The current time in seconds since 1970 (``time.time()``).

    A token without a readable ``exp`` counts as expired (every OIDC identity token has
    one); an e-mail the provider says is *not* verified is refused (providers that do not
    say are trusted with it).
    """
    if not _is_true(claims.get("is_logged_in")):
        return IdentityCheck()
    expires = claims.get("exp")
    if isinstance(expires, bool) or not isinstance(expires, int | float) or expires <= now:
        return IdentityCheck(expired=True)
    email = claims.get("email")
    if not isinstance(email, str) or not email.strip():
        return IdentityCheck(
            refusal=_(
                "Your organisation's sign-in did not give netmap your e-mail address, so "
                "netmap cannot tell who you are. Ask the person who runs this netmap."
            )
        )
    if "email_verified" in claims and not _is_true(claims["email_verified"]):
        return IdentityCheck(
            refusal=_(
                "Your organisation has not verified the e-mail address %(email)s, so netmap "
                "cannot let you in with it."
            )
            % {"email": email}
        )
    user = lookup(email)
    if user is None:
        return IdentityCheck(
            refusal=_(
                "%(email)s is not on this netmap's list of people allowed in. Ask the person "
                "who runs this netmap to add you."
            )
            % {"email": email}
        )
    return IdentityCheck(user=user)


def _identity() -> IdentityCheck:
    if auth_settings() is None:
        return IdentityCheck()
    people = account_list()
    return check_identity(
        st.user.to_dict(), lambda email: account_book.user_for_email(people, email), time.time()
    )


# --- who is using the app ---------------------------------------------------------------


def _password_user() -> User | None:
    name = st.session_state.get(SIGNED_IN)
    if not name:
        return None
    for account in account_list().items:
        if account.name == name and account.password_hash:
            return User(account.name, Role.parse(account.role))
    return None  # the account was removed, or lost its password, since


def signed_in_user() -> User | None:
    """In team mode, the signed-in user with their account's current role; else None."""
    return _password_user() or _identity().user


def _lowered(user: User) -> User:
    configured = os.environ.get("NETMAP_ROLE", "").strip().lower()
    if configured in ROLES and Role.parse(configured) < user.role:
        return User(user.name, Role.parse(configured))
    return user


def current_user_record() -> User:
    """Return the person using the app as a :class:`netmap.access.User`.

    Local mode: the operating-system user, an admin. Team mode: the signed-in account
    (raises :class:`AccessDenied` when nobody is signed in; pages pass :func:`require`
    first, which shows the sign-in screen instead). ``NETMAP_ROLE`` lowers either.
    """
    if not team_mode():
        return _lowered(User(name=current_user(), role=Role.ADMIN))
    user = signed_in_user()
    if user is None:
        raise AccessDenied("nobody is signed in")
    return _lowered(user)


def current_role() -> str:
    """Return the role of the person using the app (``"admin"`` in local mode)."""
    return str(current_user_record().role)


def allowed(role: str) -> bool:
    """True when the current role is ``role`` or above."""
    return current_user_record().role >= Role.parse(role)


# --- the gate ---------------------------------------------------------------------------


def host_gate(team: bool) -> None:
    """Stop the run, showing nothing of the network, for a Host this app does not answer to."""
    if host_allowed(host_header(), team):
        return
    st.error(
        _(
            "netmap does not answer to this address. Open it at http://localhost on the "
            "computer it runs on, or by a name the person who runs it has given (in team "
            "mode: `netmap serve --allowed-host NAME`)."
        )
    )
    st.stop()


def sign_in_gate() -> None:
    """Let the run go on only for someone allowed in; otherwise show why, and stop.

    Local mode lets in only a browser on this computer. Team mode shows the sign-in screen
    until someone is signed in, refuses an identity that is not on the allow-list, and
    signs out an identity whose token has expired.
    """
    team = team_mode()
    host_gate(team)
    if not team:
        if from_elsewhere(st.context.ip_address):
            st.error(
                _(
                    "This netmap runs in local mode (it has no accounts), which is only for "
                    "the computer it runs on. To share it, add accounts (`netmap users add`) "
                    "so that people sign in; see *Turning on team mode* in the admin guide "
                    "(docs/admin-guide.md)."
                )
            )
            st.stop()
        return
    if _password_user() is not None:
        return
    identity = _identity()
    if identity.expired:
        st.info(_("Your sign-in has expired: sign in again."))
        st.logout()
        st.stop()
    if identity.user is not None:
        return
    if identity.refusal:
        st.title(_("Not signed in"))
        st.error(identity.refusal, icon=":material/block:")
        if st.button(_("Sign out"), key="sign-out-refused"):
            st.logout()
        st.stop()
    sign_in_screen()
    st.stop()


#: Failed sign-ins of the whole server, by account and by client address: shared by
#: every session, so that opening a new one does not start the count again.
_SIGN_IN_GUARD = account_book.SignInGuard()


def sign_in_guard() -> account_book.SignInGuard:
    """The server's count of failed sign-ins (see :class:`netmap.accounts.SignInGuard`)."""
    return _SIGN_IN_GUARD


def _too_many(seconds: float) -> str:
    return _(
        "Too many failed attempts for this account or from this address. Wait %(wait)s "
        "before you try again."
    ) % {"wait": minutes(seconds)}


def sign_in_screen() -> None:
    """The sign-in screen of team mode: the organisation's sign-in and/or a password form."""

    st.title(_("Sign in to netmap"))
    st.caption(
        _(
            "This netmap is shared by a team. Sign in to see it; what you may see and change "
            "depends on the role the team gave you."
        )
    )
    auth = auth_settings()
    people = account_list().items
    if auth is not None:
        providers = identity_providers(auth)
        if importlib.util.find_spec("authlib") is None:
            st.warning(
                _(
                    "Sign-in with your organisation is set up, but the Authlib package it "
                    "needs is missing on the server: `pip install 'streamlit[auth]'`."
                )
            )
        else:
            for provider in providers:
                title = (
                    # Translators: %(provider)s names one of several identity providers.
                    _("Sign in with your organisation (%(provider)s)") % {"provider": provider}
                    if provider and len(providers) > 1
                    else _("Sign in with your organisation")
                )
                if st.button(
                    title,
                    type="primary",
                    key=f"sign-in-oidc-{provider or 'default'}",
                    icon=":material/login:",
                ):
                    st.login(provider)  # None: the unnamed provider of [auth]
    if not people:
        st.info(
            _(
                "This netmap has no accounts yet. Whoever runs it adds the first one on the "
                "server: `netmap users add NAME --role admin`."
            )
        )
        return
    if auth is not None and not any(a.password_hash for a in people):
        return
    with st.form("sign-in", clear_on_submit=True):
        if auth is not None:
            st.caption(_("Or with a netmap account:"))
        name = st.text_input(
            # Translators: the name an account signs in with.
            _("Name"),
            key="sign-in-name",
            autocomplete="username",
        )
        password = st.text_input(
            _("Password"),
            type="password",
            key="sign-in-password",
            autocomplete="current-password",
        )
        submitted = st.form_submit_button(_("Sign in"), key="sign-in-submit", type="primary")
    if not submitted:
        return
    guard, name, address = sign_in_guard(), name.strip(), st.context.ip_address
    wait = guard.wait(name, address, time.monotonic())
    if wait:
        st.error(_too_many(wait), icon=":material/timer:")
        return
    user = account_book.sign_in(account_list(), name, password)
    if user is None:
        guard.failed(name, address, time.monotonic())
        left = guard.wait(name, address, time.monotonic())
        st.error(
            _("That name and password do not match an account.")
            + (f" {_too_many(left)}" if left else ""),
            icon=":material/error:",
        )
        return
    guard.succeeded(name)
    # Nothing of the last person's session survives into this one.
    st.session_state.clear()
    st.session_state[SIGNED_IN] = user.name
    st.rerun()


def sign_out() -> None:
    """Sign out of the session: a password sign-in is forgotten, an identity logged out."""
    password = _password_user() is not None
    st.session_state.clear()
    if password:
        st.rerun()
    st.logout()  # Streamlit forgets the identity and reloads the app


def let_in() -> bool:
    """True when the app may show its pages: local mode on this computer, or signed in."""
    team = team_mode()
    if not host_allowed(host_header(), team):
        return False
    if not team:
        return not from_elsewhere(st.context.ip_address)
    return signed_in_user() is not None


def require(role: str) -> None:
    """Stop the page with a message unless the current user has ``role`` or above.

    Every page calls this first: the one gate of the app. In team mode it shows the
    sign-in screen to anyone not signed in.
    """
    if role not in ROLES:
        raise AccessDenied(f"unknown role {role!r} (one of: {', '.join(ROLES)})")
    sign_in_gate()
    if not allowed(role):
        st.error(
            _(_REFUSALS[role]) % {"role": role_label(role), "current": role_label(current_role())}
        )
        st.stop()


def guard(store: GraphStore) -> GuardedStore:
    """Return ``store`` seen through the current user's role."""
    return GuardedStore(store, current_user_record())


def guarded_store() -> GuardedStore:
    """Return the app's store seen through the current role (every page uses this)."""
    return guard(raw_store())


def personal(value: Any) -> str:
    """Return a contact's personal detail (e-mail, phone, name) if the role may see it.

    The one place the app decides whether member-only data is shown.
    """
    if not allowed("member"):
        return _(HIDDEN)
    return "" if value is None else str(value)
