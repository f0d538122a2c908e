"""What the pages compute from the network, cached until the store's next write.

Everything here is a function of the store (its first argument) made with
:func:`per_revision`: it is computed once per :func:`cache_key`, ``(store URL, revision,
personal)``, and per value of its other arguments. The revision changes on every write, so
nothing is rebuilt until the data changes, and ``personal`` (whether the store shows
contacts' personal data to its user) keeps a viewer from ever being served a snapshot
cached for a member. A result that holds words people read (a gap's why, a broker's
reasons, names in the reader's script) is also kept once per interface language; the
network, its graphs and indexes once for all. The caches are Streamlit's, shared by every
session.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import logging
import threading
import time
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import networkx as nx
import streamlit as st

from netmap import directory
from netmap.access import Action, GuardedStore, allowed
from netmap.graph import NetworkFilter, filter_network, institution_graph, place_count, place_graph
from netmap.i18n import N_, current_language, format_number, ngettext
from netmap.i18n import gettext as _
from netmap.model import RecordKind
from netmap.places import Places
from netmap.store.base import GraphStore, Network
from netmap.tables import TableWords

if TYPE_CHECKING:  # the analyses are imported when first needed, not with every page
    import pandas as pd

    from netmap.analysis.finder import FinderIndex
    from netmap.analysis.gaps import GapIndex, GapReport
    from netmap.analysis.metrics import NetworkMetrics
    from netmap.search_index import SearchIndex

Result = TypeVar("Result")
Level = Literal["city", "country"]


def cache_key(store: GraphStore) -> tuple[str, int, bool]:
    """The key of everything computed from the network: URL, revision, personal data.

    ``personal`` is False for a store seen through a role below member
    (:class:`~netmap.access.GuardedStore`), whose snapshot leaves out personal details.
    """
    personal = not isinstance(store, GuardedStore) or allowed(store.user, Action.READ_PERSONAL)
    return (store.url, store.revision(), personal)


def per_revision(
    *, data: bool = False, words: bool = True, **options: Any
) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """Cache a function of the store until the store's next write.

    The decorated function takes the store first, then hashable arguments; it is run once
    per :func:`cache_key` of the store and per value of the other arguments (arguments
    whose name starts with ``_`` are passed on, not hashed, as Streamlit does), and, unless
    ``words=False`` says its result holds no words for people, per interface language.
    The key is read before the function runs, so what it reads from the store is never
    older than its key. The result is kept by ``st.cache_resource`` (one object shared by
    every session), or with ``data=True`` by ``st.cache_data`` (a copy for each caller).
    ``options`` go to the Streamlit cache (``max_entries``, ``ttl``), except
    ``show_spinner``: a message marked with ``N_`` that a spinner shows, in the session's
    language, while a call takes more than half a second (off unless given). The decorated
    function's ``clear()`` empties its cache.
    """
    cache = st.cache_data if data else st.cache_resource
    # Streamlit's own spinner takes its text once, when the module is imported: the
    # session's language is known only when the function is called.
    spinner_text = options.pop("show_spinner", None)
    options["show_spinner"] = False

    def decorate(compute: Callable[..., Result]) -> Callable[..., Result]:
        signature = inspect.signature(compute)
        parameters = list(signature.parameters.values())

        def cached(_store: GraphStore, key: tuple, *arguments: Any) -> Result:
            return compute(_store, *arguments)

        # Streamlit names a cache by its function's module, name and source, and hashes
        # the arguments not named with a leading "_": those of ``compute``, and the key.
        functools.update_wrapper(cached, compute)
        cached.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[
                inspect.Parameter("_store", inspect.Parameter.POSITIONAL_ONLY),
                inspect.Parameter("key", inspect.Parameter.POSITIONAL_ONLY),
                *(p.replace(kind=inspect.Parameter.POSITIONAL_ONLY) for p in parameters[1:]),
            ]
        )
        kept = cache(**options)(cached)

        @functools.wraps(compute)
        def call(store: GraphStore, *args: Any, **kwargs: Any) -> Result:
            bound = signature.bind(store, *args, **kwargs)
            bound.apply_defaults()
            key = (*cache_key(store), current_language()) if words else cache_key(store)
            arguments = list(bound.arguments.values())[1:]
            if not spinner_text:
                return kept(store, key, *arguments)
            with st.spinner(_(spinner_text)):
                return kept(store, key, *arguments)

        call.clear = kept.clear  # type: ignore[attr-defined]
        return call

    return decorate


# --- the network ------------------------------------------------------------------------

# The whole networks read and still cached, by cache key: an outline asked for later is
# cut from one of them instead of read again. Weak, so the cache alone decides their life.
_whole_networks: weakref.WeakValueDictionary[tuple, Network] = weakref.WeakValueDictionary()


@per_revision(words=False, max_entries=4, show_spinner=N_("Reading the network…"))
def network(store: GraphStore) -> Network:
    """Return the network (cached until the next write)."""
    key = cache_key(store)  # before reading: the network is at least this recent
    whole = store.snapshot()
    _whole_networks[key] = whole
    return whole


@per_revision(words=False, max_entries=4, show_spinner=N_("Reading the network's outline…"))
def outline(store: GraphStore) -> Network:
    """Return the network's outline (cached until the next write).

    Names, places, sectors and the ends of ties: what choosing filters and institutions,
    counting and drawing places need. At 100,000 institutions it is read in 2 s, the
    whole network in 9.
    """
    whole = _whole_networks.get(cache_key(store))
    return whole.outlined() if whole is not None else store.outline()


@per_revision(words=False, max_entries=8)
def filtered_outline(store: GraphStore, flt: NetworkFilter) -> Network:
    """Return the outline of the part of the network that ``flt`` selects (cached)."""
    return filter_network(outline(store), flt)


@per_revision(words=False, max_entries=8, show_spinner=N_("Building the graph…"))
def graph(store: GraphStore, flt: NetworkFilter, implied: bool = False) -> nx.MultiGraph:
    """Return the institution graph of the network, filtered (cached)."""
    return institution_graph(network(store), flt, implied)


# The places take the filtered outline, itself cached: filtering a million ties again for
# each of them would cost more than the count.
@per_revision(words=False, max_entries=4)
def places_graph(store: GraphStore, level: Level, flt: NetworkFilter) -> nx.Graph:
    """Return the graph of cities or countries (cached)."""
    return place_graph(filtered_outline(store, flt), level)


@per_revision(words=False, max_entries=8)
def places_count(store: GraphStore, level: Level, flt: NetworkFilter) -> int:
    """Return how many cities or countries the graph of places would have (cached)."""
    return place_count(filtered_outline(store, flt), level)


@per_revision(words=False, max_entries=4)
def places(store: GraphStore) -> Places:
    """Return the cities of the network (cached)."""
    return Places(outline(store))


@per_revision(max_entries=4)
def institution_names(store: GraphStore) -> dict[str, str]:
    """Return ``{id: "Name – City, CC"}`` for choosing institutions (cached)."""
    return directory.institution_names(outline(store))


@per_revision(max_entries=4)
def folded_names(store: GraphStore) -> dict[str, str]:
    """Each institution's label and local name folded for search across scripts (cached
    apart from the names: only worth it once someone searches)."""
    return directory.folded_names(outline(store), institution_names(store))


@per_revision(max_entries=4)
def table_words(store: GraphStore) -> TableWords:
    """The institution names and source citations tables show for ids (cached)."""
    return TableWords.of(network(store))


# --- indexes and analyses ---------------------------------------------------------------


@per_revision(words=False, max_entries=4, show_spinner=N_("Indexing names for search…"))
def search_index(store: GraphStore) -> SearchIndex:
    """Return the multilingual search index of the network (cached)."""
    from netmap.search_index import SearchIndex

    return SearchIndex.build(network(store))


@per_revision(words=False, max_entries=4, show_spinner=N_("Preparing the contact finder…"))
def finder_index(store: GraphStore, modelled: bool) -> FinderIndex:
    """Return the contact finder's prepared index of the network (cached); ``modelled``:
    whether modelled records count."""
    from netmap.analysis.finder import FinderIndex

    return FinderIndex.build(network(store), include_modelled=modelled)


@per_revision(words=False, max_entries=4, show_spinner=N_("Preparing the gap analysis…"))
def gap_index(store: GraphStore, modelled: bool) -> GapIndex:
    """Return the gap analysis' prepared index of the network (cached); ``modelled``:
    whether modelled records count."""
    from netmap.analysis.gaps import GapIndex

    return GapIndex.build(network(store), include_modelled=modelled)


# The gap report and the cross-border matrix live here, not on the Gaps page, so that the
# preparing thread can fill the same caches the page reads.
@per_revision(max_entries=8, show_spinner=N_("Looking for gaps…"))
def gaps_report(
    store: GraphStore, city: str | None, country: str | None, modelled: bool
) -> GapReport:
    """The gap report of a city, a country or (both None) the whole network (cached)."""
    from netmap.analysis.gaps import gaps

    return gaps(network(store), city=city, country=country, index=gap_index(store, modelled))


@per_revision(words=False, max_entries=4)
def cross_border(store: GraphStore) -> pd.DataFrame:
    """Ties between the institutions of each pair of countries (cached)."""
    from netmap.analysis.gaps import cross_border_matrix

    return cross_border_matrix(network(store))


class _Measuring:
    """The metrics of one graph, worked out in a thread of their own.

    At 100,000 institutions they take minutes: the page shows each step as it goes, and
    whoever leaves the page does not stop them; whoever opens it next (in any session)
    finds them further on, or done.
    """

    def __init__(self, graph: nx.MultiGraph):
        from netmap.analysis.metrics import METRIC_STEPS

        self.done, self.total, self.step = 0, len(METRIC_STEPS), next(iter(METRIC_STEPS))
        self._finished = threading.Event()
        self._result: NetworkMetrics | None = None
        self._error: Exception | None = None
        # In the language of the session that started them: their reasons are sentences.
        context = contextvars.copy_context()
        threading.Thread(
            target=context.run, args=(self._run, graph), name="netmap-metrics", daemon=True
        ).start()

    def _run(self, graph: nx.MultiGraph) -> None:
        from netmap.analysis.metrics import metrics

        try:
            self._result = metrics(graph, progress=self._heard)
        except Exception as error:  # noqa: BLE001  handed to the page that waits, whatever it is
            self._error = error
        finally:
            self._finished.set()

    def _heard(self, done: int, total: int, step: str) -> None:
        self.done, self.total, self.step = done, total, step

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds``; True once the metrics are done (or failed)."""
        return self._finished.wait(seconds)

    @property
    def failed(self) -> bool:
        return self._error is not None

    def result(self) -> NetworkMetrics:
        if self._error is not None:
            raise self._error
        assert self._result is not None, "asked for the metrics before they were done"
        return self._result


@per_revision(max_entries=8)
def _measuring(store: GraphStore, flt: NetworkFilter, implied: bool) -> _Measuring:
    return _Measuring(graph(store, flt, implied))


def metrics(store: GraphStore, flt: NetworkFilter, implied: bool = False) -> NetworkMetrics:
    """Return the network metrics of the (filtered) graph (cached), showing each step
    while they take more than a moment."""
    from netmap.analysis.metrics import METRIC_STEPS

    measuring = _measuring(store, flt, implied)
    if not measuring.wait(0.5):
        count = graph(store, flt, implied).number_of_nodes()
        shown = {"count": format_number(count)}
        measuring_label = ngettext(
            "Measuring %(count)s institution…", "Measuring %(count)s institutions…", count
        )
        with st.status(measuring_label % shown, expanded=True) as status:
            bar = st.progress(0.0)
            while not measuring.wait(0.25):
                step = measuring.step
                bar.progress(
                    measuring.done / measuring.total,
                    text=_("Step %(number)d of %(total)d: %(step)s")
                    % {
                        "number": measuring.done + 1,
                        "total": measuring.total,
                        "step": _(METRIC_STEPS[step]) if step in METRIC_STEPS else _("finishing"),
                    },
                )
            measured_label = ngettext(
                "Measured %(count)s institution.", "Measured %(count)s institutions.", count
            )
            status.update(label=measured_label % shown, state="complete", expanded=False)
    if measuring.failed:
        _measuring.clear()  # type: ignore[attr-defined]  # so that the next visit tries again
    return measuring.result()


# --- preparing the other pages ----------------------------------------------------------


class _PreparingOnPurpose(logging.Filter):
    """Streamlit warns when a thread that is not running a page calls a cached function:
    the preparing thread does so on purpose, and its warnings would only alarm."""

    def filter(self, record: logging.LogRecord) -> bool:
        return threading.current_thread().name != "netmap-prepare"


logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
    _PreparingOnPurpose()
)

# The cache keys whose other pages are being, or have been, prepared in the background.
_prepared: set[tuple] = set()
_prepared_lock = threading.Lock()


def prepare_other_pages(store: GraphStore) -> None:
    """On a large network, read the whole of it and build the Directory's, the contact
    finder's and the gap analysis' indexes, the gaps of the whole network and the
    cross-border matrix in a thread, once per change.

    The Network page needs only the outline; at 100,000 institutions the other pages
    would each make their first visitor wait 10-20 s for these. The thread waits until
    the network has not changed for :data:`PREPARE_AFTER` seconds: on two cores its
    half a minute of work slows every page it runs beside, and an editor saving change
    after change would have it start again each time. A page that needs one of them
    before it is ready builds it itself (each cache computes a key once).
    """
    key = cache_key(store)
    with _prepared_lock:
        if key in _prepared or store.counts()[RecordKind.INSTITUTION] <= PREPARE_FROM:
            return
        _prepared.add(key)
    threading.Thread(target=_prepare, args=(store, key), name="netmap-prepare", daemon=True).start()


#: Networks with more institutions than this get their other pages prepared in advance,
#: once they have not changed for this many seconds.
PREPARE_FROM = 3000
PREPARE_AFTER = 30.0


def _prepare(store: GraphStore, key: tuple) -> None:
    try:
        time.sleep(PREPARE_AFTER)
        steps = (
            lambda: network(store),
            lambda: search_index(store),
            # what a visitor sees first: modelled records left out
            lambda: finder_index(store, False),
            lambda: gaps_report(store, None, None, False),
            lambda: cross_border(store),
        )
        for step in steps:
            if store.revision() != key[1]:  # changed meanwhile: a page will ask again
                return
            step()
    except Exception:  # the page that needs it will meet the error itself
        logging.getLogger(__name__).warning(
            "Preparing the other pages failed; each will work out what it needs.", exc_info=True
        )
        with _prepared_lock:
            _prepared.discard(key)
