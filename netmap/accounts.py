"""Accounts of a shared netmap: who may sign in, with which role.

Passwords are hashed with Argon2id (argon2-cffi), a memory-hard function; netmap never
stores or logs a password itself.
"""

from __future__ import annotations

import functools
import secrets
import threading
from dataclasses import dataclass
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from netmap.access import Action, Role, User, require
from netmap.errors import NetmapError, NotFound
from netmap.store.base import Account, GraphStore


class AccountBook(Protocol):
    """Whatever lists the accounts: a store, or the app's copy read a moment ago."""

    def accounts(self) -> list[Account]: ...


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


def find_account(store: AccountBook, name: str) -> Account:
    for account in store.accounts():
        if account.name == name:
            return account
    raise NotFound(f"there is no account {name!r}")


def sign_in(store: AccountBook, name: str, password: str) -> User | None:
    """Return the user when ``password`` is theirs, else None (and say nothing more).

    Every answer costs one Argon2 verification, whether the name is unknown, the account
    signs in only with an identity provider (no password), or the password is wrong: the
    time taken must not tell which names exist.
    """
    account = next((a for a in store.accounts() if a.name == name), None)
    if account is None or not account.password_hash:
        _verify(_dummy_hash(), password)
        return None
    if not _verify(account.password_hash, password):
        return None
    return User(account.name, Role.parse(account.role))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except VerifyMismatchError:
        return False
    except (VerificationError, InvalidHashError):
        # A hash that is not one (restores refuse them) fails at once: spend the time.
        _verify(_dummy_hash(), password)
        return False


@functools.cache
def _dummy_hash() -> str:
    """A hash of a random secret, made with the same costs as every account's."""
    return _HASHER.hash(secrets.token_urlsafe(24))


def user_for_email(store: AccountBook, email: str) -> User | None:
    """The user an identity provider's verified e-mail maps to, or None if not allowed in."""
    wanted = email.strip().casefold()
    for account in store.accounts():
        if account.email and account.email == wanted:
            return User(account.name, Role.parse(account.role))
    return None


@dataclass
class _Tally:
    """Failed sign-ins under one key (an account, or a client address)."""

    failures: int = 0
    lockouts: int = 0
    locked_until: float = 0.0
    last_failure: float = 0.0


class SignInGuard:
    """Failed password sign-ins counted per account and per client address, for a whole
    server: every session and every reload of the page shares one guard.

    Why in the server's memory, not in the store: a guess must cost the guesser, not
    write to a shared store (nor let anyone fill its tables), and the count must hold
    across browser sessions, which the old per-session count did not (a new session
    every five guesses gave unlimited guesses). A restart of the server forgets it; so
    does a second server process (run one per store).

    After ``account_limit`` failures in a row on one account (``address_limit`` from one
    address, whatever the accounts), attempts there wait ``pause`` seconds; each further
    failure once the wait is over waits twice as long as the last, up to
    ``longest_pause``. While a key waits, even the right password is refused. A quiet
    ``forget_after`` seconds without failures forgets a key. Times are seconds of any
    monotonic clock (``time.monotonic()``).
    """

    def __init__(
        self,
        account_limit: int = 5,
        address_limit: int = 20,
        pause: float = 300.0,
        longest_pause: float = 3600.0,
        forget_after: float = 24 * 3600.0,
        max_keys: int = 100_000,
    ):
        self.limits = {"account": account_limit, "address": address_limit}
        self.pause = pause
        self.longest_pause = longest_pause
        self.forget_after = forget_after
        self.max_keys = max_keys
        self._tallies: dict[tuple[str, str], _Tally] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _keys(account: str, address: object) -> tuple[tuple[str, str], tuple[str, str]]:
        # An address that is not text (no network connection, as under AppTest) is one.
        where = address if isinstance(address, str) and address else "unknown"
        return ("account", account.strip().casefold()[:200]), ("address", where)

    def wait(self, account: str, address: object, now: float) -> float:
        """Seconds before ``account`` may be tried from ``address`` (0: now)."""
        with self._lock:
            tallies = [self._tallies.get(key) for key in self._keys(account, address)]
            return max([0.0, *(t.locked_until - now for t in tallies if t is not None)])

    def failed(self, account: str, address: object, now: float) -> None:
        """Count a failed attempt on ``account`` from ``address``."""
        with self._lock:
            if len(self._tallies) >= self.max_keys:
                self._forget_quiet(now)
            for key in self._keys(account, address):
                tally = self._tallies.setdefault(key, _Tally())
                if now - tally.last_failure > self.forget_after and tally.locked_until <= now:
                    tally.failures = tally.lockouts = 0
                tally.last_failure = now
                tally.failures += 1
                if tally.failures >= self.limits[key[0]]:
                    tally.lockouts += 1
                    tally.locked_until = now + min(
                        self.pause * 2 ** (tally.lockouts - 1), self.longest_pause
                    )
                    # Once the wait is over, a single failure starts the next, longer one.
                    tally.failures = self.limits[key[0]] - 1

    def succeeded(self, account: str) -> None:
        """Forget the failures on ``account`` (those from its address stay counted)."""
        with self._lock:
            self._tallies.pop(self._keys(account, None)[0], None)

    def clear(self) -> None:
        """Forget everything (tests)."""
        with self._lock:
            self._tallies.clear()

    def _forget_quiet(self, now: float) -> None:
        """Make room: drop the keys that are not waiting, oldest failure first."""
        idle = sorted(
            (tally.last_failure, key)
            for key, tally in self._tallies.items()
            if tally.locked_until <= now
        )
        for _, key in idle[: max(1, len(idle) // 2)]:
            del self._tallies[key]
