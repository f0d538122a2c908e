"""Network: institutions and their ties as a graph you can click.

Colour by sector, country or community, shape by kind, size by a chosen measure,
cross-border ties in colour; filters by country, city, sector, tie kind and date (in the
sidebar, so that the graph is in the first screen of a laptop); an ego view around one
institution; the introduction path between two institutions highlighted. Clicking an
institution, or finding it by name, opens its profile beside the graph; nodes stay where
they are when the view changes. Large selections are drawn with fixed positions, very
large ones as cities or countries the user can open.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, cast

import networkx as nx
import streamlit as st

from netmap import viz
from netmap.analysis.pathways import introduction_path
from netmap.directory import matching_institutions
from netmap.export import graph_file_bytes
from netmap.graph import NetworkFilter, ego_network
from netmap.i18n import N_, current_language, format_number, language, ngettext
from netmap.i18n import gettext as _
from netmap.taxonomy import load_taxonomy
from netmap.ui import cached
from netmap.ui.access import allowed, guarded_store, require
from netmap.ui.demo import empty_state, first_run_note
from netmap.ui.graph import clicked, network_graph, positions_of
from netmap.ui.profile import profile
from netmap.ui.text import country_label, md, shown_as
from netmap.ui.widgets import choose_institution, include_modelled, run_page

SIZE_BY = {
    "partners": N_("Number of partners"),
    "betweenness": N_("Brokerage (betweenness)"),
    "pagerank": N_("Influence (PageRank)"),
    "same": N_("All the same size"),
}
COLOUR_BY = {
    # Translators: what the nodes of the graph are coloured by.
    "sector": N_("Sector"),
    # Translators: what the nodes of the graph are coloured by.
    "country": N_("Country"),
    "community": N_("Community (groups that work together)"),
}
# The option values stay as they are (the widget's state); only their labels translate.
ACTIVE_IN = {
    # Translators: "Active in" [a year | a day]: ties active in one year, or on one day.
    "a year": N_("a year"),
    # Translators: "Active in" [a year | a day]: ties active in one year, or on one day.
    "a day": N_("a day"),
}
#: The four figures above the graph, by key.
FIGURES = {
    "institutions": N_("Institutions"),
    "ties": N_("Ties"),
    "countries": N_("Countries"),
    "cross_border": N_("Cross-border ties"),
}
#: The height of the graph on the page, in pixels: with the title row above it, it ends
#: within the first screen of a 1366×768 laptop. Downloaded pages are taller.
HEIGHT = 500
PAGE_HEIGHT = 640

GRAPH_KEY = "network-graph"
SELECTED_KEY = "network-selected"  # the institution whose profile is open
FOCUS_KEY = "network-centre-on"  # {"id", "request"}: centre the graph on it, once per request
POSITIONS_KEY = "network-positions"  # where each node drawn this session stands
FIND_KEY = "network-find"
MATCH_KEY = "network-find-match"


@dataclass(frozen=True)
class View:
    """What the user asked to see, beyond the filter: the cache key of a drawing."""

    focus: str | None = None
    hops: int = 1
    size_by: str = "partners"
    path: tuple[str, ...] = ()
    colour_by: str = "sector"


def choose_filter(store, outline) -> tuple[NetworkFilter, bool]:
    """The sidebar filters; return the filter and whether to add implied ties."""
    taxonomy = load_taxonomy()
    institutions = outline.institutions
    with st.sidebar:
        st.header(_("Filters"))
        countries = st.multiselect(
            _("Countries"),
            sorted(set(institutions["country"])),
            format_func=country_label,
            key="network-countries",
            placeholder=_("All countries"),
        )
        cities = [
            city
            for city in cached.places(store)
            if not city.unnamed and (not countries or city.country in countries)
        ]
        labels = {city.key: _city_label(city) for city in cities}
        names = {city.key: city.name for city in cities}
        chosen_cities = st.multiselect(
            _("Cities"),
            list(labels),
            format_func=shown_as(labels),
            key="network-cities",
            placeholder=_("All cities"),
        )
        present = set(institutions["sector"])
        sectors = st.multiselect(
            _("Sectors"),
            [s for s in taxonomy.sectors if s in present],
            format_func=lambda s: taxonomy.label("sectors", s),
            key="network-sectors",
            placeholder=_("All sectors"),
        )
        kinds_present = set(outline.ties["kind"])
        tie_kinds = st.multiselect(
            _("Kinds of tie"),
            [k for k in taxonomy.tie_kinds if k in kinds_present],
            format_func=lambda k: taxonomy.label("tie_kinds", k),
            key="network-tie-kinds",
            # Translators: the placeholder of the list of kinds of tie (none chosen).
            placeholder=_("All kinds"),
        )
        on = None
        if st.checkbox(
            _("Only ties active at a time"),
            key="network-dated",
            help=_(
                "Ties whose since–until span covers that year or day; ties without dates "
                "count as always active."
            ),
        ):
            this_year = datetime.date.today().year
            years = [
                int(str(value)[:4])
                for value in [*outline.ties["since"], *outline.ties["until"]]
                if value
            ]
            first = min([*years, this_year - 10])
            if (
                st.segmented_control(
                    # Translators: followed by the choice [a year | a day].
                    _("Active in"),
                    list(ACTIVE_IN),
                    format_func=lambda when: _(ACTIVE_IN[when]),
                    default="a year",
                    key="network-when",
                )
                == "a day"
            ):
                day = st.date_input(
                    _("Day"), value=datetime.date.today(), key="network-on", format="YYYY-MM-DD"
                )
                on = day.isoformat() if isinstance(day, datetime.date) else None
            else:
                on = str(st.slider(_("Year"), first, this_year, this_year, key="network-year"))
        implied = st.toggle(
            _("Count sharing an initiative as a weak tie"),
            key="network-implied",
            help=_(
                "Institutions that take part in the same network, project, protocol or "
                "event are linked by a dotted line even without a recorded tie (funders, hosts "
                "and supporters do not take part). Shown, never a route for a case or an "
                "introduction."
            ),
        )
    flt = NetworkFilter(
        countries=tuple(countries),
        cities=tuple(dict.fromkeys(names[key] for key in chosen_cities)),
        sectors=tuple(sectors),
        tie_kinds=tuple(tie_kinds),
        on=on,
        include_modelled=include_modelled(),
    )
    return flt, implied


def _city_label(city) -> str:
    local = f" ({city.name_local})" if city.name_local and city.name_local != city.name else ""
    return f"{city.name}{local}, {city.country}"


def choose_view(store, selected: list[str]) -> View:
    """The sidebar view options: ego view, colours, size measure, introduction path."""
    with st.sidebar:
        # Translators: the sidebar's heading over how the graph is shown.
        st.header(_("View"))
        focus = choose_institution(
            store,
            _("Around one institution"),
            ids=selected,
            key="network-focus",
            placeholder=_("The whole selection"),
            help=_("Show one institution and the partners a few ties away."),
        )
        hops = 1
        if focus:
            hops = st.slider(_("Ties away"), 1, 3, 1, key="network-hops")
        colour_by = st.selectbox(
            _("Colour of the nodes"),
            list(COLOUR_BY),
            format_func=lambda key: _(COLOUR_BY[key]),
            key="network-colour",
            help=_(
                "Communities are groups of institutions that work more among themselves "
                "than with the rest (Louvain, over the ties of this selection)."
            ),
        )
        size_by = st.selectbox(
            _("Size of the nodes"),
            list(SIZE_BY),
            format_func=lambda key: _(SIZE_BY[key]),
            key="network-size",
        )
        path = choose_path(store)
    return View(focus=focus, hops=hops, size_by=size_by, path=path, colour_by=colour_by)


def choose_path(store) -> tuple[str, ...]:
    """The path highlight: two institutions, and the trust path between them."""
    with st.expander(_("Introduction path between two institutions")):
        # Translators: the first end of an introduction path (an institution).
        start = choose_institution(store, _("From"), key="network-path-from")
        # Translators: the other end of an introduction path (an institution).
        end = choose_institution(store, _("To"), key="network-path-to")
        if not start or not end:
            st.caption(
                _(
                    "The path follows recorded ties whose two ends know each other (not "
                    "funding or hosting), preferring strong ones: the chain of partners who "
                    "could introduce one to the other."
                )
            )
            return ()
        path = introduction_path(
            cached.network(store), start, end, include_modelled=include_modelled()
        )
        if not path:
            st.warning(_("No recorded chain of partners who know each other links these two."))
            return ()
        names = cached.institution_names(store)
        chain = " → ".join(md(names.get(i, i)) for i in path)
        steps = len(path) - 1
        st.success(
            ngettext("%(count)d step: %(chain)s", "%(count)d steps: %(chain)s", steps)
            % {"count": steps, "chain": chain}
        )
        return tuple(path)


@cached.per_revision(max_entries=4)
def labels(store) -> dict:
    """Each institution's label in the graph, told apart from the others of the whole
    network (so that a label stays the same whatever part of it is drawn); a country
    among them is named in the current language."""
    rows = cached.network(store).institutions
    # pandas types record keys as any hashable; these columns are named by strings.
    columns = [c for c in ("name", "name_local", "acronym", "city", "country") if c in rows]
    fields = cast(list[dict[str, Any]], rows[columns].to_dict("records"))
    return viz.node_labels(zip(rows["id"], fields, strict=True))


# The drawings hold words (legend, tooltips, the note): kept once per language.
@cached.per_revision(max_entries=12)
def _institution_drawing(
    store, _graph, _sizes, _communities, flt, implied: bool, view: View
) -> viz.Drawing:
    size_label = _(SIZE_BY[view.size_by]) if view.size_by in ("betweenness", "pagerank") else None
    return viz.institution_drawing(
        _graph,
        sizes=_sizes,
        size_label=size_label,
        highlight=list(view.path),
        center=view.focus,
        labels=labels(store),
        colours=viz.colouring(_graph.nodes(data=True), view.colour_by, _communities),
        height=PAGE_HEIGHT,
        cite=cached.table_words(store).source,
    )


@cached.per_revision(max_entries=6)
def _place_drawing(store, _graph, flt, level: str):
    drawing = viz.place_drawing(_graph, level, height=PAGE_HEIGHT)
    return drawing, drawing.html()


def sizes_for(store, flt, implied, graph, size_by: str):
    """Node sizes for the chosen measure (None: by number of partners)."""
    if size_by == "same":
        return {node: 1.0 for node in graph.nodes}
    if size_by in ("betweenness", "pagerank"):
        measures = cached.metrics(store, flt, implied).nodes[size_by]
        return {node: float(measures.get(node, 0.0)) for node in graph.nodes}
    return None


def communities_for(store, flt, implied, colour_by: str) -> dict | None:
    """Each institution's community number, when the nodes are coloured by community."""
    if colour_by != "community":
        return None
    return dict(cached.metrics(store, flt, implied).nodes["community"])


def view_graph(store, flt, implied, view: View) -> nx.Graph:
    """The graph to draw: the filtered graph, its ego part, plus the highlighted path."""
    graph: nx.Graph = cached.graph(store, flt, implied)
    if view.focus and view.focus in graph:
        graph = ego_network(graph, view.focus, view.hops)
    if view.path and not all(node in graph for node in view.path):
        whole = cached.graph(store, NetworkFilter(include_modelled=include_modelled()), implied)
        graph = nx.compose(graph, whole.subgraph(view.path))
    return graph


@cached.per_revision(data=True, max_entries=16)
def _figures(store, _graph: nx.MultiGraph, flt, implied: bool, view: View) -> dict:
    countries = {d.get("country") for _, d in _graph.nodes(data=True)} - {None}
    country = dict(_graph.nodes(data="country"))
    ties = cross = 0
    for u, v, data in _graph.edges(data=True):
        if not data.get("implied"):
            ties += 1
            cross += country.get(u) != country.get(v)
    return {
        "institutions": _graph.number_of_nodes(),
        "ties": ties,
        "countries": len(countries),
        "cross_border": cross,
    }


def _place_figures(places: nx.Graph) -> dict:
    """The four figures of :func:`_figures`, counted from a graph of places."""
    ties = sum(d["internal_ties"] for _, d in places.nodes(data=True))
    ties += sum(d["weight"] for _, _, d in places.edges(data=True))
    cross = sum(d["weight"] for _, _, d in places.edges(data=True) if d.get("cross_border"))
    return {
        "institutions": sum(d["institutions"] for _, d in places.nodes(data=True)),
        "ties": ties,
        "countries": len({d.get("country") for _, d in places.nodes(data=True)} - {None}),
        "cross_border": cross,
    }


def summary(figures: dict) -> None:
    """The view in four figures (:data:`FIGURES`), written for the language."""
    for column, (key, value) in zip(st.columns(4), figures.items(), strict=True):
        column.metric(_(FIGURES[key]), format_number(value))


def _open_place(countries: dict[str, str]) -> None:
    """Open a city of the places view: filter on it (runs before the page is drawn)."""
    chosen = st.session_state.get("network-open-place")
    if chosen:
        st.session_state["network-countries"] = [countries[chosen]]
        st.session_state["network-cities"] = [chosen]
        st.session_state["network-open-place"] = None


def show_places(store, flt: NetworkFilter) -> None:
    """Too many institutions: draw cities (or countries) and let the user open one."""
    # Counted first: the graph of 4,000 cities takes a second to build only to be too big.
    level = "city" if cached.places_count(store, "city", flt) <= viz.DRAW_LIMIT else "country"
    places = cached.places_graph(store, level, flt)
    summary(_place_figures(places))
    with st.spinner(_("Drawing the places…")):
        drawing, html = _place_drawing(store, places, flt, level)
    st.info(drawing.note, icon=":material/zoom_out_map:")
    if level == "city":
        ranked = sorted(places.nodes, key=lambda n: -places.nodes[n].get("institutions", 0))
        countries = {n: places.nodes[n].get("country") for n in ranked}
        st.selectbox(
            _("Open a city"),
            ranked,
            index=None,
            format_func=lambda n: _city_option(places.nodes[n]),
            key="network-open-place",
            placeholder=_("Choose a city to see its institutions"),
            on_change=_open_place,
            args=(countries,),
        )
    st.iframe(html, height="content", alt=_("Graph of the cities of the network"))
    title = _("netmap – cities and their ties")
    st.download_button(
        _("Download this view as a web page"),
        data=in_this_language(drawing.html, title=title),
        file_name="netmap-places.html",
        mime="text/html",
        icon=":material/download:",
        key="network-download-places",
    )


def in_this_language(write: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[[], Any]:
    """``write(*args, **kwargs)`` for a download button, which calls it when clicked,
    outside this run: in this run's language (a downloaded page says ``lang`` and its
    legend's label in it)."""
    chosen = current_language()

    def written() -> Any:
        with language(chosen):
            return write(*args, **kwargs)

    return written


def _city_option(city: dict) -> str:
    """``Niš, RS (12 institutions)``: a city to open, with its number of institutions."""
    count = int(city.get("institutions", 0))
    return ngettext(
        "%(city)s, %(country)s (%(count)s institution)",
        "%(city)s, %(country)s (%(count)s institutions)",
        count,
    ) % {"city": city.get("name"), "country": city.get("country"), "count": format_number(count)}


# --- clicking and finding --------------------------------------------------------------


def _select(institution: str | None, focus: bool = False) -> None:
    """Open ``institution``'s profile; with ``focus``, also centre the graph on it."""
    st.session_state[SELECTED_KEY] = institution
    if focus and institution:
        request = (st.session_state.get(FOCUS_KEY) or {}).get("request", 0) + 1
        st.session_state[FOCUS_KEY] = {"id": institution, "request": request}


def _clicked() -> None:
    """A node was clicked in the graph: open its profile."""
    institution = clicked(GRAPH_KEY)
    if institution:
        _select(institution)


def _moved() -> None:
    """The graph laid out new nodes or a node was dragged: remember where they stand."""
    st.session_state[POSITIONS_KEY] = positions_of(GRAPH_KEY)


def matches_in_view(store, text: str, in_view: Collection[str]) -> tuple[list[str], int]:
    """The institutions drawn that match ``text`` (best first, in any script, typos
    forgiven: :func:`netmap.directory.matching_institutions`), and how many more match
    outside this view."""
    network = cached.network(store)
    found = matching_institutions(
        network, cached.search_index(store), text, contacts=allowed("member")
    )
    inside = [institution for institution in found if institution in in_view]
    return inside, len(found) - len(inside)


def _found(store, in_view: frozenset[str]) -> None:
    """A search was typed: open and centre on the best match drawn."""
    text = (st.session_state.get(FIND_KEY) or "").strip()
    matches = matches_in_view(store, text, in_view)[0] if text else []
    if matches:
        st.session_state[MATCH_KEY] = matches[0]
        _select(matches[0], focus=True)


def _chosen() -> None:
    """Another match was chosen: open and centre on it."""
    _select(st.session_state.get(MATCH_KEY), focus=True)


def find_in_graph(store, graph: nx.Graph, field, choice) -> None:
    """The search box above the graph (in ``field``) and its matches (in ``choice``)."""
    in_view = frozenset(graph.nodes)
    text = field.text_input(
        _("Find in the graph"),
        key=FIND_KEY,
        type="search",
        # Translators: the examples are names in the data: keep "Ниш, ARSIS" as they are.
        placeholder=_("A name, acronym or city, in any script: Ниш, ARSIS…"),
        on_change=_found,
        args=(store, in_view),
    ).strip()
    if not text:
        return
    matches, outside = matches_in_view(store, text, in_view)
    elsewhere = (
        ngettext(
            # Translators: institutions that match the search but are not drawn.
            "%(count)s more outside this view: remove a filter to see them.",
            "%(count)s more outside this view: remove a filter to see them.",
            outside,
        )
        % {"count": format_number(outside)}
        if outside
        else ""
    )
    if not matches:
        nothing = _("Nothing drawn matches “%(text)s”.") % {"text": md(text)}
        choice.caption(f"{nothing} {elsewhere}".strip())
        return
    names = cached.institution_names(store)
    shown = matches[:30]
    if st.session_state.get(MATCH_KEY) not in shown:
        st.session_state[MATCH_KEY] = shown[0]
    choice.selectbox(
        # Translators: the label of the list of institutions the search found; the one
        # chosen is shown in the graph and its profile opened.
        ngettext("%(count)s found: show", "%(count)s found: show", len(matches))
        % {"count": format_number(len(matches))},
        shown,
        format_func=shown_as(names),
        key=MATCH_KEY,
        on_change=_chosen,
        help=elsewhere or None,
    )


# --- the page ---------------------------------------------------------------------------


def side_panel(store, graph: nx.Graph, drawing: viz.Drawing, outline) -> None:
    """Beside the graph: the profile of the institution clicked or found, else how to."""
    chosen = st.session_state.get(SELECTED_KEY)
    with st.container(height=HEIGHT + 70, border=False, key="network-side"):
        if chosen and chosen in graph:
            st.button(
                _("Close the profile"),
                key="network-close",
                icon=":material/close:",
                on_click=_select,
                args=(None,),
            )
            profile(store, cached.network(store), chosen, ego=False)
            return
        st.markdown(
            _(
                "**Click an institution** to read its profile here, or find it by name "
                "above. Hover over a line to see its ties; drag to move, scroll to zoom."
            )
        )
        first_run_note(store, outline)
        st.caption(drawing.note)


def downloads(graph: nx.Graph, drawing: viz.Drawing) -> None:
    """The view as a picture (SVG; the graph's own button saves a PNG), a web page, GraphML."""
    # A column each, wide enough for the longer labels of Bulgarian or Greek.
    svg, page, graphml = st.columns(3)
    # Read now: the file is written when the button is clicked, outside this run.
    positions = dict(st.session_state.get(POSITIONS_KEY) or {})
    # The title of the files, in this run's language (they are written outside the run).
    title = _("netmap – network view")
    with svg:
        st.download_button(
            _("Download as SVG"),
            data=in_this_language(viz.svg_picture, drawing, positions, title=title),
            file_name="netmap-network.svg",
            mime="image/svg+xml",
            icon=":material/image:",
            key="network-download-svg",
            help=_(
                "A picture of the whole view, with its legend, for a report: it stays sharp "
                "at any size. (The graph's own button saves what it shows as a PNG.)"
            ),
        )
    with page:
        st.download_button(
            _("Download as a web page"),
            data=in_this_language(drawing.html, title=title),
            file_name="netmap-network.html",
            mime="text/html",
            icon=":material/download:",
            key="network-download-html",
            help=_("A single file that opens in any browser, without internet."),
        )
    with graphml:
        st.download_button(
            _("Download as GraphML"),
            data=lambda: graph_file_bytes(graph, "graphml"),
            file_name="netmap-network.graphml",
            mime="application/graphml+xml",
            icon=":material/download:",
            key="network-download-graphml",
            help=_("For Gephi, yEd or Cytoscape: the institutions and ties of this view."),
        )


def main() -> None:
    require("viewer")
    store = guarded_store()
    # One row: the title, the search, its matches; the filters are in the sidebar.
    title, field, choice = st.columns([2, 3, 3], vertical_alignment="bottom")
    # Translators: the title of the page that draws the network as a graph.
    title.title(_("Network"), anchor=False)
    if empty_state(store):
        return
    # The outline is enough until institutions are drawn: at a hundred thousand of them
    # the whole network takes four times as long to read.
    outline = cached.outline(store)
    flt, implied = choose_filter(store, outline)
    selected = list(cached.filtered_outline(store, flt).institutions["id"])
    view = choose_view(store, selected)
    if not view.focus and viz.mode_for(len(selected)) == "places":
        # Places need no graph of institutions: a million ties take it seconds to build.
        first_run_note(store, outline)
        show_places(store, flt)
        return
    graph = view_graph(store, flt, implied, view)
    mode = viz.mode_for(graph.number_of_nodes())
    if mode == "places" and not view.focus:  # a highlighted path took it past the limit
        show_places(store, flt)  # with its own figures
        return
    if mode == "empty":
        summary(_figures(store, graph, flt, implied, view))
        st.warning(_("No institution matches these filters. Remove a filter in the sidebar."))
        return
    if mode == "places":
        summary(_figures(store, graph, flt, implied, view))
        st.warning(
            ngettext(
                "%(count)s institutions are within %(hops)d tie of this one: too many to "
                "draw. Choose fewer ties away, or filter by country or city.",
                "%(count)s institutions are within %(hops)d ties of this one: too many to "
                "draw. Choose fewer ties away, or filter by country or city.",
                view.hops,
            )
            % {"count": format_number(graph.number_of_nodes()), "hops": view.hops}
        )
        return
    find_in_graph(store, graph, field, choice)
    sizes = sizes_for(store, flt, implied, graph, view.size_by)
    communities = communities_for(store, flt, implied, view.colour_by)
    with st.spinner(_("Drawing the network…")):
        drawing = _institution_drawing(store, graph, sizes, communities, flt, implied, view)
    left, right = st.columns([5, 3])
    with left:
        focus = st.session_state.get(FOCUS_KEY)
        network_graph(
            drawing,
            key=GRAPH_KEY,
            on_click=_clicked,
            on_move=_moved,
            selected=st.session_state.get(SELECTED_KEY),
            focus=focus if focus and focus.get("id") in graph else None,
            positions=st.session_state.get(POSITIONS_KEY),
            height=HEIGHT,
        )
    with right:
        side_panel(store, graph, drawing, outline)
    summary(_figures(store, graph, flt, implied, view))
    downloads(graph, drawing)
    if view.size_by == "betweenness":
        st.caption(cached.metrics(store, flt, implied).betweenness_note)


run_page(main)
