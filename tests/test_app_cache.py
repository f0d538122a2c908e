"""The app's caches: computed once per store revision, never shared between roles.

``netmap.ui.cached.per_revision`` is called here as the pages call it, outside a page run
(Streamlit's caches work there too); the pages themselves are in ``test_app_pages.py``.
"""

from __future__ import annotations

import threading

import pytest
from streamlit.errors import StreamlitAPIException

from netmap.access import GuardedStore, Role, User
from netmap.model import RecordKind
from netmap.ui import cached


@pytest.fixture
def calls():
    """A list each computation below appends its arguments to."""
    return []


def test_a_computation_runs_once_until_the_store_changes(demo_store, calls):
    @cached.per_revision()
    def institutions(store):
        calls.append(store.revision())
        return len(store.snapshot().institutions)

    first = institutions(demo_store)
    assert institutions(demo_store) == first and calls == [1]
    record = demo_store.get(RecordKind.INSTITUTION, "gr-athens-ekka")
    demo_store.update(record.model_copy(update={"notes": "checked"}))
    assert institutions(demo_store) == first and calls == [1, 2]
    institutions.clear()
    institutions(demo_store)
    assert calls == [1, 2, 2]


def test_each_value_of_the_other_arguments_is_computed_once(demo_store, calls):
    @cached.per_revision()
    def in_country(store, country, sector=None):
        calls.append((country, sector))
        rows = store.snapshot().institutions
        return int((rows["country"] == country).sum())

    assert in_country(demo_store, "BG") == in_country(demo_store, country="BG", sector=None)
    in_country(demo_store, "RS")
    assert calls == [("BG", None), ("RS", None)]


def test_arguments_named_with_an_underscore_are_passed_on_not_hashed(demo_store, calls):
    @cached.per_revision()
    def with_lock(store, _lock, level):
        calls.append(level)
        return level

    assert with_lock(demo_store, threading.Lock(), "city") == "city"
    assert with_lock(demo_store, threading.Lock(), "city") == "city"  # another lock: a hit
    assert calls == ["city"]

    @cached.per_revision()
    def hashing_a_lock(store, lock):
        return 1

    with pytest.raises(StreamlitAPIException):
        hashing_a_lock(demo_store, threading.Lock())


def test_a_viewer_is_never_served_what_was_cached_for_a_member(demo_store):
    member = GuardedStore(demo_store, User("m", Role.MEMBER))
    viewer = GuardedStore(demo_store, User("v", Role.VIEWER))
    assert cached.cache_key(member) != cached.cache_key(viewer)
    assert cached.cache_key(member)[:2] == cached.cache_key(viewer)[:2]
    with_emails = cached.network(member).contacts["email"].dropna()
    assert len(with_emails) > 0
    assert cached.network(viewer).contacts["email"].dropna().empty


def test_two_computations_of_the_same_arguments_keep_their_own_results(demo_store):
    @cached.per_revision()
    def one(store, level):
        return 1

    @cached.per_revision()
    def two(store, level):
        return 2

    assert (one(demo_store, "city"), two(demo_store, "city")) == (1, 2)


def test_a_copy_for_each_caller_with_data(demo_store):
    @cached.per_revision(data=True)
    def countries(store):
        return sorted(set(store.snapshot().institutions["country"]))

    mine = countries(demo_store)
    mine.clear()
    assert countries(demo_store), "a caller's change reached the cache"
