"""Accounts of a shared netmap: who may sign in, with which role.

Passwords are hashed with Argon2id (argon2-cffi), a memory-hard function; netmap never
stores or logs a password itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from netmap.access import Action, Role, User, require
from netmap.errors import NetmapError, NotFound
from netmap.store.base import Account, GraphStore

_HASHER = PasswordHasher()
MIN_PASSWORD_LENGTH = 12


def add_account(
    store: GraphStore,
    acting: User,
    name: str,
    role: str,
    password: str | None = None,
    email: str | None = None,
) -> Account:
    """Create an account (admins only). Give a password, an identity-provider e-mail, or both."""
    require(acting, Action.MANAGE_USERS)
    name = name.strip()
    if not name:
        raise NetmapError("an account needs a name")
    if any(a.name == name for a in store.accounts()):
        raise NetmapError(f"there is already an account {name!r}; use set-role to change it")
    if password is None and not email:
        raise NetmapError("give the account a password or an e-mail for sign-in")
    account = Account(
        name=name,
        role=str(Role.parse(role)),
        password_hash=_hash(password) if password is not None else None,
        email=email.strip().casefold() if email else None,
    )
    store.save_account(account)
    return account


def _hash(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise NetmapError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _HASHER.hash(password)


def set_role(store: GraphStore, acting: User, name: str, role: str) -> Account:
    """Give an existing account another role (admins only)."""
    require(acting, Action.MANAGE_USERS)
    account = find_account(store, name)
    updated = Account(
        account.name,
        str(Role.parse(role)),
        account.password_hash,
        account.email,
        account.created_at,
    )
    store.save_account(updated)
    return updated


def remove_account(store: GraphStore, acting: User, name: str) -> None:
    """Remove an account (admins only)."""
    require(acting, Action.MANAGE_USERS)
    store.remove_account(name)


def find_account(store: GraphStore, name: str) -> Account:
    for account in store.accounts():
        if account.name == name:
            return account
    raise NotFound(f"there is no account {name!r}")


def sign_in(store: GraphStore, name: str, password: str) -> User | None:
    """Return the user when ``password`` is theirs, else None (and say nothing more)."""
    try:
        account = find_account(store, name)
    except NotFound:
        _HASHER.hash(password)  # spend the same time whether or not the name exists
        return None
    if not account.password_hash:
        return None
    try:
        _HASHER.verify(account.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    return User(account.name, Role.parse(account.role))


def user_for_email(store: GraphStore, email: str) -> User | None:
    """The user an identity provider's verified e-mail maps to, or None if not allowed in."""
    wanted = email.strip().casefold()
    for account in store.accounts():
        if account.email and account.email == wanted:
            return User(account.name, Role.parse(account.role))
    return None


@dataclass
class SignInThrottle:
    """Failed password sign-ins of one session: after ``limit`` in a row, a pause.

    A front end keeps one per session, asks :meth:`wait` before it checks a password,
    and reports each outcome. Times are seconds (``time.monotonic()`` or any clock).
    """

    limit: int = 5
    pause: float = 300.0
    failures: int = 0
    locked_until: float = 0.0

    def wait(self, now: float) -> float:
        """Seconds left before another attempt is allowed (0 when one is allowed now)."""
        return max(0.0, self.locked_until - now)

    def failed(self, now: float) -> None:
        """Count a failed attempt; the ``limit``-th in a row starts a pause."""
        self.failures += 1
        if self.failures >= self.limit:
            self.locked_until = now + self.pause
            self.failures = 0

    def succeeded(self) -> None:
        """Forget the failures before a successful sign-in."""
        self.failures = 0
        self.locked_until = 0.0
