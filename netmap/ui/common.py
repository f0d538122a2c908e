"""What the pages share: the store, the cached snapshot, graphs and indexes, and small helpers.

Caching. The store is opened once per URL (``st.cache_resource``, shared by every session;
the SQLite store opens a connection per call, so it is safe across threads). Everything
computed from the network is cached under the key ``(store URL, revision, personal)``:
the revision changes on every write, so nothing is rebuilt until the data changes, and
``personal`` (whether the role may see contacts' personal data) keeps a viewer from ever
being served a snapshot cached for a member.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import streamlit as st
from platformdirs import user_data_dir

from netmap import directory
from netmap.codes import country_name
from netmap.errors import NetmapError
from netmap.export import csv_bytes
from netmap.graph import NetworkFilter, filter_network, institution_graph, place_count, place_graph
from netmap.model import RECORD_KINDS, RecordKind, fold
from netmap.places import Places
from netmap.resources import data_file
from netmap.store import default_store_url, open_store
from netmap.store import shown_url as store_address
from netmap.store.base import GraphStore, Network
from netmap.taxonomy import load_taxonomy
from netmap.ui.access import allowed, current_user_record, guard, mode, sign_out

_PAGES_DIR = Path(__file__).resolve().parent / "pages"


@dataclass(frozen=True)
class PageInfo:
    """One page of the app: its file in ``netmap/ui/pages``, title, icon and URL path."""

    name: str
    title: str
    icon: str
    role: str = "viewer"  # the least role that may open it

    @property
    def path(self) -> Path:
        return _PAGES_DIR / f"{self.name}.py"


PAGES = (
    PageInfo("network", "Network", ":material/hub:"),
    PageInfo("directory", "Directory", ":material/menu_book:"),
    PageInfo("finder", "Find a contact", ":material/person_search:"),
    PageInfo("gaps", "Gaps and pathways", ":material/troubleshoot:"),
    PageInfo("map", "Map", ":material/map:"),
    PageInfo("data", "Data", ":material/swap_vert:"),
    PageInfo("edit", "Edit", ":material/edit:", role="editor"),
    PageInfo("admin", "Admin", ":material/admin_panel_settings:", role="admin"),
)

FIRST_RUN_MESSAGE = (
    "You are looking at netmap's demo network: {institutions} institutions in {countries} "
    "countries that work together against human trafficking (police, prosecutors, social "
    "services, NGOs…), built only from what five public documents say; each dot is an "
    "institution, coloured by sector, and each line a cooperation the documents state. "
    "Most of what they state is who takes part in which local network or project: tick "
    "*Count sharing an initiative as a weak tie* to see it. Search it on the **Directory** "
    "page, or replace it with your own spreadsheet on the **Data** page."
)


# --- the store --------------------------------------------------------------------------


def builtin_store_url() -> str:
    """The embedded store netmap uses when no store is named (the user's data folder)."""
    return f"sqlite:///{Path(user_data_dir('netmap', appauthor=False)) / 'netmap.db'}"


def shown_url(url: str) -> str:
    """Return a store URL fit to show: scheme, host and port (a SQLite file as it is)."""
    return store_address(url)


@st.cache_resource(show_spinner=False)
def _open_store(url: str) -> GraphStore:
    store = open_store(url)
    # A damaged SQLite file is refused here, with one message, rather than by whichever
    # page first reads a damaged row (checked once per server, when the store is opened).
    check = getattr(store, "check_readable", None)
    if check is not None:
        check()
    return store


def raw_store() -> GraphStore:
    """Return the app's store; on failure, stop the page with one clear message.

    The message names the store (scheme, host and port) and the reason only to a
    browser on the computer netmap runs on: anyone else, not signed in yet, learns that
    the store is unavailable and nothing about where it is. The reason goes to the
    server's log as well. Outside a Streamlit run (bare mode: ``python app.py``, a
    script), where ``st.stop()`` does not stop, the store's error is raised instead.
    """
    url = default_store_url()
    try:
        store = _open_store(url)
        store.revision()
    except NetmapError as error:
        logging.getLogger(__name__).error("cannot open the store: %s", error)
        if _on_this_computer():
            st.error(
                f"netmap cannot open its store `{shown_url(url)}`.\n\n{md(str(error))}\n\n"
                "Check the address (`--store` or `NETMAP_STORE`), that the file is a netmap "
                "store, or that the Neo4j server is running and reachable; then reload this "
                "page."
            )
        else:
            st.error(
                "netmap cannot open its store just now. The person who runs it can see why "
                "in its log; try again later."
            )
        st.stop()
        raise  # reached only in bare mode, where st.stop() returns
    return store


def _on_this_computer() -> bool:
    from netmap.ui.access import _host_header, from_elsewhere, host_allowed

    return not from_elsewhere(st.context.ip_address) and host_allowed(_host_header(), False)


def store() -> GraphStore:
    """Return the app's store seen through the current role (every page uses this)."""
    return guard(raw_store())


def cache_key(store: GraphStore) -> tuple[str, int, bool]:
    """The key of everything computed from the network: URL, revision, personal data."""
    return (store.url, store.revision(), allowed("member"))


# The whole networks read and still cached, by cache key: an outline asked for later is
# cut from one of them instead of read again. Weak, so the cache alone decides their life.
_whole_networks: weakref.WeakValueDictionary[tuple, Network] = weakref.WeakValueDictionary()


@st.cache_resource(max_entries=4, show_spinner="Reading the network…")
def _snapshot(_store: GraphStore, key: tuple[str, int, bool]) -> Network:
    network = _store.snapshot()
    _whole_networks[key] = network
    return network


def network(store: GraphStore) -> Network:
    """Return the network (cached until the next write)."""
    return _snapshot(store, cache_key(store))


@st.cache_resource(max_entries=4, show_spinner="Reading the network's outline…")
def _outline(_store: GraphStore, key: tuple[str, int, bool]) -> Network:
    whole = _whole_networks.get(key)
    return whole.outlined() if whole is not None else _store.outline()


def outline(store: GraphStore) -> Network:
    """Return the network's outline (cached until the next write).

    Names, places, sectors and the ends of ties: what choosing filters and institutions,
    counting and drawing places need. At 100,000 institutions it is read in 2 s, the
    whole network in 9.
    """
    return _outline(store, cache_key(store))


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
        if store.revision() != key[1]:  # changed meanwhile: a page will ask again
            return
        whole = _snapshot(store, key)
        steps = (
            lambda: _search_index(whole, key),
            # what a visitor sees first: modelled records left out
            lambda: _finder_index(whole, key, False),
            lambda: gaps_report(whole, _gap_index(whole, key, False), key, None, None, False),
            lambda: cross_border(whole, key),
        )
        for step in steps:
            if store.revision() != key[1]:  # changed meanwhile: the next page starts again
                return
            step()
    except Exception:  # the page that needs it will meet the error itself
        logging.getLogger(__name__).warning(
            "Preparing the other pages failed; each will work out what it needs.", exc_info=True
        )
        with _prepared_lock:
            _prepared.discard(key)


@st.cache_resource(max_entries=8, show_spinner=False)
def _filtered(_outline: Network, key: tuple, flt: NetworkFilter) -> Network:
    return filter_network(_outline, flt)


def filtered_outline(store: GraphStore, flt: NetworkFilter) -> Network:
    """Return the outline of the part of the network that ``flt`` selects (cached)."""
    return _filtered(outline(store), cache_key(store), flt)


@st.cache_resource(max_entries=8, show_spinner="Building the graph…")
def _graph(_network: Network, key: tuple, flt: NetworkFilter, implied: bool) -> nx.MultiGraph:
    return institution_graph(_network, flt, implied)


def graph(store: GraphStore, flt: NetworkFilter | None = None, implied: bool = False):
    """Return the institution graph of the network, filtered (cached); modelled records are
    left out unless the sidebar's choice includes them."""
    flt = flt or NetworkFilter(include_modelled=include_modelled())
    return _graph(network(store), cache_key(store), flt, implied)


def include_modelled() -> bool:
    """Whether the user chose to count modelled records (illustrations, not facts) in the
    analyses (the sidebar's checkbox, remembered for the session)."""
    return bool(st.session_state.get(INCLUDE_MODELLED_KEY, False))


INCLUDE_MODELLED_KEY = "include-modelled"


def include_modelled_choice() -> None:
    """The sidebar's checkbox that counts modelled records in the analyses."""
    with st.sidebar:
        st.checkbox(
            "Include modelled records",
            key=INCLUDE_MODELLED_KEY,
            help=(
                "Records marked *modelled* are illustrations, not facts: every analysis "
                "leaves them out unless you tick this. Whatever you choose, each page says "
                "so where it matters."
            ),
        )


def modelled_note() -> None:
    """Say on an analysis that modelled records are counted, when they are."""
    if include_modelled():
        st.caption(
            ":material/science: Modelled records (illustrations, not facts) are included "
            "(see the sidebar)."
        )


# The places take the filtered outline, itself cached: filtering a million ties again for
# each of them would cost more than the count.
@st.cache_resource(max_entries=4, show_spinner=False)
def _place_graph(_selected: Network, key: tuple, level: str, flt: NetworkFilter) -> nx.Graph:
    return place_graph(_selected, level)


def places_graph(store: GraphStore, level: str, flt: NetworkFilter | None = None) -> nx.Graph:
    """Return the graph of cities or countries (cached)."""
    flt = flt or NetworkFilter()
    return _place_graph(filtered_outline(store, flt), cache_key(store), level, flt)


@st.cache_resource(max_entries=8, show_spinner=False)
def _place_count(_selected: Network, key: tuple, level: str, flt: NetworkFilter) -> int:
    return place_count(_selected, level)


def places_count(store: GraphStore, level: str, flt: NetworkFilter | None = None) -> int:
    """Return how many cities or countries the graph of places would have (cached)."""
    flt = flt or NetworkFilter()
    return _place_count(filtered_outline(store, flt), cache_key(store), level, flt)


@st.cache_resource(max_entries=4, show_spinner=False)
def _places(_outline: Network, key: tuple) -> Places:
    return Places(_outline)


def places(store: GraphStore) -> Places:
    """Return the cities of the network (cached)."""
    return _places(outline(store), cache_key(store))


@st.cache_resource(max_entries=4, show_spinner="Indexing names for search…")
def _search_index(_network: Network, key: tuple):
    from netmap.search_index import SearchIndex

    return SearchIndex.build(_network)


def search_index(store: GraphStore):
    """Return the multilingual search index of the network (cached)."""
    return _search_index(network(store), cache_key(store))


@st.cache_resource(max_entries=4, show_spinner="Preparing the contact finder…")
def _finder_index(_network: Network, key: tuple, modelled: bool = False):
    from netmap.analysis.finder import FinderIndex

    return FinderIndex.build(_network, include_modelled=modelled)


def finder_index(store: GraphStore):
    """Return the contact finder's prepared index of the network (cached)."""
    return _finder_index(network(store), cache_key(store), include_modelled())


@st.cache_resource(max_entries=4, show_spinner="Preparing the gap analysis…")
def _gap_index(_network: Network, key: tuple, modelled: bool = False):
    from netmap.analysis.gaps import GapIndex

    return GapIndex.build(_network, include_modelled=modelled)


def gap_index(store: GraphStore):
    """Return the gap analysis' prepared index of the network (cached)."""
    return _gap_index(network(store), cache_key(store), include_modelled())


# The gap report and the cross-border matrix live here, not on the Gaps page, so that the
# preparing thread can fill the same caches the page reads.
@st.cache_resource(max_entries=8, show_spinner="Looking for gaps…")
def gaps_report(
    _network: Network,
    _index,
    key: tuple,
    city: str | None,
    country: str | None,
    modelled: bool = False,
):
    """The gap report of a city, a country or (both None) the whole network (cached);
    ``modelled`` is the index's own choice, part of the cache key."""
    from netmap.analysis.gaps import gaps

    return gaps(_network, city=city, country=country, index=_index)


@st.cache_resource(max_entries=4, show_spinner=False)
def cross_border(_network: Network, key: tuple):
    """Ties between the institutions of each pair of countries (cached)."""
    from netmap.analysis.gaps import cross_border_matrix

    return cross_border_matrix(_network)


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
        self._result = None
        self._error: Exception | None = None
        threading.Thread(
            target=self._run, args=(graph,), name="netmap-metrics", daemon=True
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

    def result(self):
        if self._error is not None:
            raise self._error
        return self._result


@st.cache_resource(max_entries=8, show_spinner=False)
def _measuring(_graph: nx.MultiGraph, key: tuple, flt: NetworkFilter, implied: bool):
    return _Measuring(_graph)


def metrics(store: GraphStore, flt: NetworkFilter | None = None, implied: bool = False):
    """Return the network metrics of the (filtered) graph (cached), showing each step
    while they take more than a moment."""
    from netmap.analysis.metrics import METRIC_STEPS

    flt = flt or NetworkFilter(include_modelled=include_modelled())
    graph_ = graph(store, flt, implied)
    measuring = _measuring(graph_, cache_key(store), flt, implied)
    if not measuring.wait(0.5):
        count = graph_.number_of_nodes()
        with st.status(f"Measuring {count:,} institutions…", expanded=True) as status:
            bar = st.progress(0.0)
            while not measuring.wait(0.25):
                text = f"Step {measuring.done + 1} of {measuring.total}: "
                bar.progress(
                    measuring.done / measuring.total, text=text + METRIC_STEPS[measuring.step]
                )
            status.update(
                label=f"Measured {count:,} institutions.", state="complete", expanded=False
            )
    if measuring.failed:
        _measuring.clear()  # so that the next visit tries again
    return measuring.result()


# --- words ------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=^&])")
# Where Streamlit's Markdown (remark-gfm) turns plain text into a live link to a web
# page, whatever is escaped: "http://", "https://" and "www.". A word joiner (U+2060,
# invisible and zero-width) after the ":" of "://" and after "www" breaks the patterns it
# looks for; the text reads the same. E-mail addresses stay mailto links (a contact's
# e-mail is meant to be clicked, and copied whole).
_AUTOLINKED = re.compile(r"(?i)(://|\bwww(?=\.))")
_WORD_JOINER = "\u2060"


def md(text: Any) -> str:
    """Return user text escaped for Streamlit markdown: shown as written, never as markup.

    Without this a name could carry a link, an image fetched from the internet, or
    Streamlit's ``:red[…]`` directives into the page. Backslash escapes do not stop
    GitHub-style autolinks of web addresses (``https://…``, ``www.…``): those get an
    invisible word joiner that keeps them text.
    """
    if text is None:
        return ""
    flat = " ".join(str(text).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _AUTOLINKED.sub(_unlinked, flat))


def _unlinked(found: re.Match) -> str:
    """Put a word joiner (U+2060) inside ``found``, where it would start an autolink."""
    return ":" + _WORD_JOINER + "//" if found[1] == "://" else found[1] + _WORD_JOINER


def label(vocabulary: str, key: str | None) -> str:
    """Return the taxonomy label of ``key`` (empty for None)."""
    return load_taxonomy().label(vocabulary, key) if key else ""


def country_label(code: str | None) -> str:
    """``Serbia (RS)``."""
    return f"{country_name(code)} ({code})" if code else ""


def institution_names(store: GraphStore) -> dict[str, str]:
    """Return ``{id: "Name – City, CC"}`` for choosing institutions (cached)."""
    return _institution_names(outline(store), cache_key(store))


@st.cache_resource(max_entries=4, show_spinner=False)
def _institution_names(_outline: Network, key: tuple) -> dict[str, str]:
    return directory.institution_names(_outline)


@st.cache_resource(max_entries=4, show_spinner=False)
def _folded_names(_outline: Network, key: tuple) -> dict[str, str]:
    """Each institution's label and local name folded for search across scripts (cached
    apart from the names: only worth it once someone searches)."""
    return directory.folded_names(_outline, _institution_names(_outline, key))


#: More choices than this make a select box slow to send and to open in the browser
#: (a hundred thousand institutions take seconds): past it, a search field comes first.
CHOICES_LIMIT = 1000


def choose_institution(
    store: GraphStore,
    label: str,
    *,
    key: str,
    ids: list[str] | None = None,
    placeholder: str = "Choose an institution (type to search)",
    help: str | None = None,
    required: bool = False,
    container: Any = st,
) -> str | None:
    """A select box of institutions (all, or ``ids``), with a search field first when many.

    The search matches every word of what is typed, in any script and without accents,
    against the name, the local name, the city, the country and the id.
    """
    names = institution_names(store)
    options = list(names) if ids is None else ids
    if len(options) > CHOICES_LIMIT:
        options, placeholder = _matches(store, label, key, options, help, container)
    return container.selectbox(
        label,
        options,
        index=0 if required and options else None,
        format_func=names.get,
        key=key,
        placeholder=placeholder,
        help=help,
    )


def _matches(
    store: GraphStore, label: str, key: str, ids: list[str], help: str | None, container: Any
) -> tuple[list[str], str]:
    """A search field for :func:`choose_institution`; the choices it leaves, a placeholder."""
    names = institution_names(store)
    query = container.text_input(
        f"{label}: search",
        key=f"{key}-search",
        placeholder=f"Part of a name or a city, in any script ({len(ids):,} institutions)",
        help=help,
    )
    matches = []
    if fold(query):  # some word to look for, not only punctuation
        wanted = set(ids) if len(ids) < len(names) else None
        folded = _folded_names(outline(store), cache_key(store))
        matches = directory.names_matching(folded, query, wanted)
        if not matches:
            container.caption("No institution matches: try fewer or shorter words.")
    chosen = st.session_state.get(key)  # kept, so a new search does not undo the choice
    options = list(dict.fromkeys([*([chosen] if chosen in names else []), *matches]))
    if not options:
        return [], "Type in the search field first"
    return options, "Choose one of the matches"


# --- page frame -------------------------------------------------------------------------


@contextmanager
def reporting_errors() -> Iterator[None]:
    """Show a netmap error as one clear message instead of a traceback."""
    try:
        yield
    except NetmapError as error:
        st.error(str(error))


def sidebar_footer(store: GraphStore) -> None:
    """Say in the sidebar which store this is, who is signed in, and in which mode."""
    user = current_user_record()
    with st.sidebar:
        if mode() == "team":
            st.caption(
                f"Store: `{shown_url(store.url)}`  \nSigned in as **{md(user.name)}** "
                f"({user.role}), team mode"
            )
            if st.button("Sign out", key="sign-out", icon=":material/logout:"):
                sign_out()
        else:
            st.caption(
                f"Store: `{shown_url(store.url)}`  \nYou: {md(user.name)}, {user.role} "
                "(local mode: this computer only)"
            )


def minutes(seconds: float) -> str:
    """``"4 minutes"``, ``"1 minute"``: a wait in words, rounded up."""
    count = max(1, int(-(-seconds // 60)))
    return f"{count} minute{'s' * (count != 1)}"


def load_demo(store: GraphStore) -> None:
    """Load the demo network into ``store``, showing progress."""
    from netmap.io import import_into  # openpyxl and the importer: not on every page

    with st.status("Loading the demo network…", expanded=True) as status:
        bar = st.progress(0.0, text="Reading and checking the demo tables…")

        def advance(done: int, total: int) -> None:
            bar.progress(done / max(total, 1), text=f"Writing {done:,} of {total:,} records…")

        import_into(store, data_file("demo"), progress=advance)
        status.update(label="The demo network is loaded.", state="complete", expanded=False)


def first_run(store: GraphStore) -> None:
    """On the very first start on the built-in store, load the demo network.

    Other (named) stores that are empty get an empty state on each page instead.
    """
    if not allowed("editor") or store.url != builtin_store_url():
        return
    if any(store.counts().values()):
        return
    load_demo(store)


def first_run_note(store: GraphStore, network: Network) -> None:
    """Say in two sentences what the user is looking at while it is the demo network.

    Whoever loaded it (``netmap serve --demo``, the first start, the button of an empty
    store, or the server preparing its first page): the note stays until the first change.
    """
    if not holds_untouched_demo(store):
        return
    institutions = network.institutions
    st.info(
        FIRST_RUN_MESSAGE.format(
            institutions=len(institutions), countries=institutions["country"].nunique()
        ),
        icon=":material/waving_hand:",
    )


def holds_untouched_demo(store: GraphStore) -> bool:
    """True when the store's one write so far loaded the demo network."""
    return store.revision() == 1 and store.counts() == _demo_counts()


@functools.cache
def _demo_counts() -> dict[RecordKind, int]:
    """The rows of each demo table, read as the import reads them."""
    from netmap.io.reader import read_tables  # openpyxl: only for a store at revision 1

    tables = read_tables(data_file("demo")).tables
    return {kind: len(tables[kind]) if kind in tables else 0 for kind in RECORD_KINDS}


def empty_state(store: GraphStore) -> bool:
    """When the store holds no institution, say what to do and return True."""
    if store.counts()[RecordKind.INSTITUTION]:
        return False
    st.info(
        "This store holds no institutions yet. Import your spreadsheet (an .xlsx workbook "
        "or a .zip of CSV files) on the **Data** page, add institutions one by one on the "
        "**Edit** page, or load the demo network to look around.",
        icon=":material/info:",
    )
    if allowed("editor") and st.button("Load the demo network", key="load-demo"):
        load_demo(store)
        st.rerun()
    return True


def csv_download(frame, file_name: str, label_text: str = "Download as CSV", key: str = "") -> None:
    """A download button for a table, as :func:`csv_bytes`, written when it is clicked:
    the Gaps page's tables of a hundred thousand institutions took two seconds to write
    on every run."""
    st.download_button(
        label_text,
        data=functools.partial(csv_bytes, frame),
        file_name=file_name,
        mime="text/csv",
        key=key or f"download-{file_name}",
        icon=":material/download:",
    )


def run_page(main: Callable[[], None]) -> None:
    """Run a page's ``main`` with netmap errors shown as messages."""
    with reporting_errors():
        main()
