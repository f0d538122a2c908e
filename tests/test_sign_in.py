"""Password guessing, written as the attack: many guesses from fresh browser sessions,
guesses spread over many names, and a stopwatch on the answers."""

from __future__ import annotations

import statistics
import time

import pytest
from app_fixtures import page_test

from netmap.access import Role, User
from netmap.accounts import SignInGuard, add_account, sign_in
from netmap.store import SQLiteStore
from netmap.ui import access

ADMIN = User("setup", Role.ADMIN)
PASSWORD = "correct horse battery"
NO_MATCH = "That name and password do not match an account."


@pytest.fixture
def team(tmp_path, monkeypatch):
    store = SQLiteStore(tmp_path / "team.db", actor="tester")
    add_account(store, ADMIN, "admin", "admin", PASSWORD)
    add_account(store, ADMIN, "ana", "member", email="ana@example.org")  # identity provider only
    monkeypatch.setenv("NETMAP_STORE", store.url)
    for name in ("NETMAP_ROLE", "NETMAP_MODE"):
        monkeypatch.delenv(name, raising=False)
    access.forget_accounts()
    access.sign_in_guard().clear()
    yield store
    access.forget_accounts()
    access.sign_in_guard().clear()


def attempt(name: str, password: str):
    """One sign-in from a fresh browser session (a new AppTest: nothing of the last one)."""
    at = page_test("network").run()
    at.text_input(key="sign-in-name").set_value(name)
    at.text_input(key="sign-in-password").set_value(password)
    at.button(key="sign-in-submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def signed_in(at) -> bool:
    return access.SIGNED_IN in at.session_state


def test_fifty_guesses_from_fresh_sessions_are_refused_after_five(team):
    answers = []
    for number in range(50):
        at = attempt("admin", f"guess number {number}")
        assert not signed_in(at)
        answers.append(at.error[0].value)
    assert answers[:4] == [NO_MATCH] * 4
    assert answers[4].startswith(NO_MATCH + " Too many failed attempts")
    assert all(answer.startswith("Too many failed attempts") for answer in answers[5:])
    # The right password, in yet another session, is refused while the account waits.
    at = attempt("admin", PASSWORD)
    assert not signed_in(at)
    assert at.error[0].value.startswith("Too many failed attempts")


def test_guesses_spread_over_many_names_are_stopped_by_address(team):
    for number in range(20):
        assert not signed_in(attempt(f"someone-{number}", "guess"))
    at = attempt("admin", PASSWORD)
    assert not signed_in(at)
    assert at.error[0].value.startswith("Too many failed attempts")


def test_the_right_password_gets_in_before_the_limit_and_resets_the_account(team):
    for _ in range(4):
        attempt("admin", "a wrong guess")
    assert signed_in(attempt("admin", PASSWORD))
    for _ in range(4):
        attempt("admin", "a wrong guess")
    assert signed_in(attempt("admin", PASSWORD))


def test_each_wait_is_longer_than_the_last():
    guard = SignInGuard(account_limit=5, address_limit=1000, pause=300, longest_pause=3600)
    now = 0.0
    waits = []
    for _ in range(6):
        while not guard.wait("admin", "10.1.2.3", now):
            guard.failed("admin", "10.1.2.3", now)
        waits.append(guard.wait("admin", "10.1.2.3", now))
        now += waits[-1]
    assert waits == [300, 600, 1200, 2400, 3600, 3600]


def test_a_guard_keeps_counting_past_many_names_without_growing_for_ever():
    guard = SignInGuard(max_keys=100)
    for number in range(1000):
        guard.failed(f"name-{number}", f"10.0.{number // 256}.{number % 256}", now=number)
    assert len(guard._tallies) <= 100


def median_seconds(store, name: str, password: str) -> float:
    times = []
    for _ in range(5):
        started = time.perf_counter()
        assert sign_in(store, name, password) is None
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def test_unknown_passwordless_and_wrong_password_answers_take_the_same_time(team):
    unknown = median_seconds(team, "nobody-here", "a wrong guess")
    passwordless = median_seconds(team, "ana", "a wrong guess")
    wrong = median_seconds(team, "admin", "a wrong guess")
    slowest, fastest = max(unknown, passwordless, wrong), min(unknown, passwordless, wrong)
    # Each runs one Argon2 verification (tenths of a second); without it, a name without
    # a password answered in microseconds.
    assert fastest > 0.3 * slowest, (unknown, passwordless, wrong)
