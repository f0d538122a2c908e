"""Gaps and pathways: where the referral pathway has holes, and how a case can travel.

Coverage heatmaps (places × pathway stages or sectors), the gaps found (missing stages,
sectors and hand-overs, unlinked sectors, stale records, single points of failure),
brokers, the cross-border matrix, and the pathways a case can follow from one actor.
Every finding is said in words and every table can be downloaded.
"""

from __future__ import annotations

from typing import Any, Literal

import altair as alt
import pandas as pd
import streamlit as st

from netmap import viz
from netmap.analysis.gaps import FINDING_LISTS, coverage
from netmap.analysis.pathways import pathways, return_pathways
from netmap.analysis.sources import GRADE_LABELS, Grade
from netmap.graph import NetworkFilter
from netmap.i18n import N_, format_number, ngettext
from netmap.i18n import gettext as _
from netmap.tables import readable
from netmap.taxonomy import load_taxonomy
from netmap.ui import cached
from netmap.ui.access import allowed, guarded_store, require
from netmap.ui.demo import empty_state
from netmap.ui.text import country_label, md, shown_as
from netmap.ui.widgets import (
    choose_institution,
    csv_download,
    include_modelled,
    modelled_note,
    run_page,
)

FINDINGS = {
    "missing_stages": (
        N_("Stages not recorded"),
        N_("Stages of the referral pathway that no recorded institution of the place carries."),
    ),
    "missing_sectors": (
        N_("Sectors not recorded"),
        N_(
            "Sectors a local network is expected to include (where a basis says so), or that "
            "its peers have, but that no record shows there."
        ),
    ),
    "missing_handovers": (
        N_("Hand-overs not recorded"),
        N_(
            "Steps of the pathway (e.g. identification → referral) that no recorded tie "
            "carrying cases makes."
        ),
    ),
    "cross_sector_pairs": (
        N_("Sectors side by side, not recorded together"),
        N_("Sectors present in the same city with no recorded tie or shared network."),
    ),
    "missing_return_ties": (
        N_("Country pairs with no recorded return route"),
        N_(
            "Countries that work together, but with no recorded tie carrying cases from a "
            "return actor of one to a reception actor of the other."
        ),
    ),
    "stale": (
        N_("Stale records"),
        N_("Institutions and contacts never verified, or not for a long time."),
    ),
    "single_points_of_failure": (
        N_("Single points of failure"),
        N_(
            "Institutions whose departure would cut partners off the recorded chains that "
            "carry cases, or break the last recorded tie of a hand-over."
        ),
    ),
}
#: How each grade of a finding is shown: a badge colour and what it means.
GRADES: dict[Grade, tuple[str, str]] = {
    "confirmed": ("red", N_("A source that claims to list everything there confirms it.")),
    "not_recorded": (
        "orange",
        N_(
            "Nothing recorded shows it; the sources do not claim to list everything, so it may "
            "exist unrecorded."
        ),
    ),
    "outside_coverage": (
        "gray",
        N_("The place's sources were about something else: whether it exists is not known."),
    ),
}
MAX_HEATMAP_ROWS = 60


@cached.per_revision(max_entries=8, show_spinner=N_("Counting coverage…"))
def _coverage(
    store, by: Literal["stage", "sector"], level: Literal["city", "country"], modelled: bool
) -> pd.DataFrame:
    index = cached.gap_index(store, modelled)
    return coverage(cached.network(store), by=by, level=level, index=index)


@cached.per_revision(max_entries=16, show_spinner=N_("Following the ties…"))
def _pathways(store, from_id: str, child: bool, origin: str | None, modelled: bool):
    """The stages a case identified at ``from_id`` goes through, in the current language."""
    network = cached.network(store)
    return pathways(network, from_id, child=child, origin=origin, include_modelled=modelled)


@cached.per_revision(max_entries=16, show_spinner=N_("Following the ties…"))
def _return_pathways(store, origin: str, home: str, modelled: bool):
    """The return routes from ``origin`` to ``home``, in the current language."""
    return return_pathways(cached.network(store), origin, home, include_modelled=modelled)


def choose_scope(store, network) -> tuple[str | None, str | None]:
    """Whole network, a country, or a city: return (city, country)."""
    # the options are ids (a test or a link may set them) shown in the reader's language
    scope = st.segmented_control(
        # Translators: the choice of what the Gaps page looks at (the whole network, a country…)
        _("Look at"),
        [N_("The whole network"), N_("A country"), N_("A city")],
        default="The whole network",
        format_func=_,
        key="gaps-scope",
    )
    countries = sorted(set(network.institutions["country"]))
    if scope == "A country":
        country = st.selectbox(
            _("Country"), countries, format_func=country_label, key="gaps-country"
        )
        return None, country
    if scope == "A city":
        cities = [c for c in cached.places(store) if not c.unnamed]
        chosen = st.selectbox(
            _("City"),
            [c.key for c in cities],
            format_func=lambda key: next(
                f"{c.name}{f' ({c.name_local})' if c.name_local else ''}, {c.country}"
                for c in cities
                if c.key == key
            ),
            key="gaps-city",
        )
        city = next(c for c in cities if c.key == chosen)
        return city.name, city.country
    return None, None


def heatmap(frame: pd.DataFrame, x_title: str, y_title: str, labels: dict[str, str]):
    """An altair heatmap of a places × keys table of counts; zeros stand out."""
    long = frame.reset_index().melt(
        id_vars=[frame.index.name or "index"], var_name="key", value_name="n"
    )
    long = long.rename(columns={frame.index.name or "index": "row"})
    long["column"] = long["key"].map(lambda k: labels.get(k, k))
    column_order = [labels.get(k, k) for k in frame.columns]
    high = max(int(frame.to_numpy().max()) * 0.6, 1)
    row_order = list(frame.index)
    base = alt.Chart(long).encode(
        x=alt.X(
            "column:N",
            sort=column_order,
            title=x_title,
            axis=alt.Axis(labelAngle=-30, labelLimit=200, labelOverlap=False, orient="top"),
        ),
        y=alt.Y(
            "row:N",
            sort=row_order,
            title=y_title,
            axis=alt.Axis(labelLimit=240, labelOverlap=False),
        ),
        tooltip=[
            alt.Tooltip("row:N", title=y_title),
            alt.Tooltip("column:N", title=x_title),
            alt.Tooltip("n:Q", title=_("Count")),
        ],
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.condition(
            alt.datum.n == 0,
            alt.value("#fde2e1"),
            alt.Color("n:Q", scale=alt.Scale(scheme="blues"), title=_("Count")),
        )
    )
    text = base.mark_text(fontSize=11).encode(
        text="n:Q",
        color=alt.when(alt.datum.n == 0)
        .then(alt.value("#c92a2a"))
        .when(alt.datum.n >= high)
        .then(alt.value("#ffffff"))
        .otherwise(alt.value("#1b1b1b")),
    )
    return (cells + text).properties(height=chart_height(frame))


def chart_height(frame: pd.DataFrame) -> int:
    """Pixels for a heatmap: a readable row per place, plus room for the labels on top."""
    return max(24 * len(frame), 96)


def coverage_tab(store, modelled: bool, city: str | None, country: str | None) -> None:
    taxonomy = load_taxonomy()
    left, right = st.columns(2)
    by: Literal["stage", "sector"] = (
        left.segmented_control(
            # Translators: what the coverage heatmap counts (pathway stages or sectors)
            _("Count"),
            ["stage", "sector"],
            default="stage",
            format_func=shown_as({"stage": _("Pathway stages"), "sector": _("Sectors")}),
            key="gaps-by",
        )
        or "stage"
    )
    level: Literal["city", "country"] = (
        right.segmented_control(
            # Translators: the coverage heatmap counts per city or per country
            _("Per"),
            ["city", "country"],
            default="city",
            format_func=shown_as({"city": _("City"), "country": _("Country")}),
            key="gaps-level",
        )
        or "city"
    )
    frame = _coverage(store, by, level, modelled)
    if by == "stage" and level == "city":
        # a city is expected to hold its local stages; shelters, courts and return are
        # looked for in the country (pathway.toml, `where`)
        local_stages = [k for k in frame.columns if taxonomy.stages[k].where == "local"]
        frame = frame[local_stages]
    if country:
        wanted = (
            [i for i in frame.index if i.endswith(f", {country}")] if level == "city" else [country]
        )
        if city and level == "city":
            wanted = [i for i in wanted if i.startswith(f"{city},")] or wanted
        frame = frame.loc[[i for i in wanted if i in frame.index]]
    if frame.empty:
        st.info(_("No institution in this scope."))
        return
    shown_rows = len(frame)
    if len(frame) > MAX_HEATMAP_ROWS:
        frame = frame.loc[frame.sum(axis=1).sort_values(ascending=False).index[:MAX_HEATMAP_ROWS]]
    labels = taxonomy.labels("stages" if by == "stage" else "sectors")
    if by == "stage" and level == "city":
        explained = _(
            "How many recorded institutions of each place carry each stage of the referral "
            "pathway (per city, the stages a city's own network is expected to hold) or "
            "belong to each sector. Pink cells with 0: nobody recorded there for that step, "
            "which is not the same as nobody there (see the Gaps tab for what the sources "
            "cover)."
        )
    else:
        explained = _(
            "How many recorded institutions of each place carry each stage of the referral "
            "pathway or belong to each sector. Pink cells with 0: nobody recorded there for "
            "that step, which is not the same as nobody there (see the Gaps tab for what the "
            "sources cover)."
        )
    if shown_rows > MAX_HEATMAP_ROWS:
        explained += " " + _("Showing the %(count)s places with the most institutions.") % {
            "count": format_number(MAX_HEATMAP_ROWS)
        }
    st.caption(explained)
    place_title = _("Place") if level == "city" else _("Country")
    st.altair_chart(
        heatmap(
            frame,
            # Translators: a stage of the referral pathway (an axis title)
            _("Stage") if by == "stage" else _("Sector"),
            place_title,
            labels,
        ),
        width="stretch",
        height=chart_height(frame) + 140,
    )
    table = frame.rename(columns=lambda key: labels.get(key, key))
    table.index.name = place_title
    csv_download(
        table.reset_index(), f"netmap-coverage-{by}-{level}.csv", key="gaps-coverage-download"
    )


@cached.per_revision(max_entries=8)
def _finding_tables(store, city, country, modelled: bool, personal: bool) -> dict:
    """Each kind of finding as (items shown, a note, a table): built once per report and
    language (the notes and headers are in words)."""
    report = cached.gaps_report(store, city, country, modelled)
    tables = {}
    for name in FINDING_LISTS:
        items = list(getattr(report, name))
        note = ""
        if name == "stale" and not personal:
            hidden = sum(1 for item in items if item.get("kind") == "contact")
            items = [item for item in items if item.get("kind") != "contact"]
            if hidden:
                note = " " + ngettext(
                    "(%(count)s stale contact is listed for members only.)",
                    "(%(count)s stale contacts are listed for members only.)",
                    hidden,
                ) % {"count": format_number(hidden)}
        table = readable(pd.DataFrame(items), cached.table_words(store))
        tables[name] = (items, note, table)
    return tables


def coverage_note(scope: dict[str, Any], cite: dict[str, str]) -> None:
    """What the scope's records hold and how far their sources reach: read it first."""
    taxonomy = load_taxonomy()
    coverage = scope["coverage"]
    records = coverage["records"]
    evidence = "; ".join(
        f"{taxonomy.label('evidence', kind)}: {format_number(n)}"
        for kind, n in coverage["evidence"].items()
        if n
    )
    with st.expander(
        _("What the records hold here, and how far their sources reach"), expanded=True
    ):
        counts = _(
            "Institutions: %(institutions)s (standing for a group: %(collective)s). "
            "Ties: %(ties)s (carrying cases: %(carrying)s). "
            "Participations: %(participations)s."
        ) % {
            "institutions": format_number(records["institutions"]),
            "collective": format_number(records["collective_institutions"]),
            "ties": format_number(records["ties"]),
            "carrying": format_number(records["ties_that_carry_cases"]),
            "participations": format_number(records["participations"]),
        }
        # Translators: how the records are known (documented: 12; inferred: 3…)
        known = _("Known as: %(evidence)s.") % {"evidence": md(evidence)}
        if not evidence:
            known = _("Known as: nothing recorded.")
        modelled = (
            _("Modelled records are included.")
            if scope["modelled"] == "included"
            else _("Modelled records are left out.")
        )
        st.markdown(f"{counts} {known} {modelled}")
        sources = coverage["sources"]
        if sources:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            _("Source"): cite.get(source["id"], source["title"]),
                            # Translators: a column of sources: what a source is about
                            _("About"): source["about"],
                            # Translators: a column of sources: how many records cite it
                            _("Records"): source["records"],
                            # Translators: a column of sources: what kinds of facts it records
                            _("Records what"): ", ".join(
                                taxonomy.label("source_covers", c) for c in source["covers"]
                            ),
                            _("Sectors in scope"): ", ".join(
                                taxonomy.label("sectors", c) for c in source["sectors"]
                            )
                            # Translators: a source's sectors in scope: any sector
                            or _("any"),
                            _("Lists in full"): ", ".join(
                                taxonomy.label("source_covers", c) for c in source["complete"]
                            )
                            or _("nothing (not complete)"),
                        }
                        for source in sources
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
        if coverage["unregistered_sources"]:
            named = ", ".join(list(coverage["unregistered_sources"])[:10])
            st.caption(
                _(
                    "Named by records but not described in the sources table (what they "
                    "cover is not known): %(sources)s"
                )
                % {"sources": md(named)}
            )
        for entry in scope["not_assessed"]:
            st.caption(md(entry["why"]))


def graded_line(item: dict[str, Any]) -> str:
    """A finding as a Markdown list item, its grade as a coloured badge first."""
    grade = item.get("grade")
    if grade is None:
        return f"- {md(item['why'])}"
    colour = GRADES[grade][0]
    return f"- :{colour}-badge[{md(item['grade_label'])}] {md(item['why'])}"


def findings_tab(store, modelled: bool, city: str | None, country: str | None) -> None:
    report = gap_report(store, city, country, modelled)
    place = report.scope.get("place") or _("the whole network")
    measured = _(
        "Measured against the referral-pathway model (%(place)s). Each gap says how sure it is:"
    ) % {"place": md(place)}
    st.caption(
        measured
        + " "
        + " ".join(
            f":{colour}-badge[{_(GRADE_LABELS[grade])}] {_(meaning)}"
            for grade, (colour, meaning) in GRADES.items()
        )
    )
    coverage_note(report.scope, dict(cached.table_words(store).sources))
    tables = _finding_tables(store, city, country, modelled, allowed("member"))
    columns = st.columns(4)
    for i, name in enumerate(FINDING_LISTS):
        title = _(FINDINGS[name][0]) if name in FINDINGS else name
        columns[i % 4].metric(title, len(tables[name][0]))
    for name in FINDING_LISTS:
        title, explanation = (
            (_(FINDINGS[name][0]), _(FINDINGS[name][1])) if name in FINDINGS else (name, "")
        )
        items, note, table = tables[name]
        with st.expander(f"{title} ({len(items)})", expanded=0 < len(items) <= 5):
            st.caption(explanation + note)
            if not items:
                st.success(_("None found."))
                continue
            st.markdown("\n".join(graded_line(item) for item in items[:25]))
            if len(items) > 25:
                more = len(items) - 25
                st.caption(
                    ngettext(
                        "… and %(count)s more in the table.",
                        "… and %(count)s more in the table.",
                        more,
                    )
                    % {"count": format_number(more)}
                )
            st.dataframe(table, hide_index=True, width="stretch")
            csv_download(table, f"netmap-{name}.csv", key=f"gaps-download-{name}")


def gap_report(store, city: str | None, country: str | None, modelled: bool):
    """The gap report of the scope (``modelled``: whether modelled records count), with
    progress shown on big networks."""
    if len(cached.network(store).institutions) <= viz.DRAW_LIMIT:
        return cached.gaps_report(store, city, country, modelled)
    with st.status(_("Looking for gaps in the referral pathway…")) as status:
        report = cached.gaps_report(store, city, country, modelled)
        status.update(label=_("Looked for gaps."), state="complete")
    return report


def brokers_tab(store, city: str | None, country: str | None) -> None:
    flt = NetworkFilter(
        countries=(country,) if country else (),
        cities=(city,) if city else (),
        include_modelled=include_modelled(),
    )
    # Counted from the outline: the graph of 100,000 institutions takes seconds to build,
    # and this tab is drawn (unseen) on every visit of the page.
    count = len(cached.filtered_outline(store, flt).institutions)
    asked = f"gaps-measure-{cached.cache_key(store)}-{flt}"
    if count > viz.DRAW_LIMIT and not st.session_state.get(asked):
        st.info(
            _(
                "Measuring brokers, communities and cut points among %(count)s institutions "
                "takes a while (about half a minute for %(example)s). Choose a country or a "
                "city above for a quicker answer, or measure the whole selection now."
            )
            % {"count": format_number(count), "example": format_number(20000)}
        )
        if st.button(_("Measure now"), key="gaps-measure"):
            st.session_state[asked] = True
            st.rerun()
        return
    result = cached.metrics(store, flt)
    a, b, c, d = st.columns(4)
    a.metric(
        # Translators: the density of the network (a measure)
        _("Density"),
        format_number(result.density, decimals=3),
        help=_("Share of possible ties that exist."),
    )
    b.metric(
        _("Communities"),
        len(result.communities),
        help=_("Groups that cooperate more among themselves (Louvain)."),
    )
    c.metric(
        # Translators: institutions whose departure splits the network (articulation points)
        _("Cut points"),
        len(result.articulation_points),
        help=_("Institutions whose departure splits the recorded chains that carry cases."),
    )
    d.metric(
        # Translators: how many institutions have no tie (a measure's title)
        _("Isolated"),
        len(result.isolated),
        help=_("Institutions with no recorded tie of working together."),
    )
    modelled_note()
    st.markdown(
        _(
            "**Brokers**: institutions whose ties that carry cases link partners who have no "
            "such tie of their own (funding, hosting and meetings do not count)."
        )
    )
    brokers = result.brokers.reset_index()
    if brokers.empty:
        st.caption(_("No broker in this scope."))
    else:
        st.markdown("\n".join(f"- {md(why)}" for why in brokers["why"].head(10)))
        brokers = readable(brokers)
        st.dataframe(brokers, hide_index=True, width="stretch")
        csv_download(brokers, "netmap-brokers.csv", key="gaps-brokers-download")
    st.caption(md(result.betweenness_note))
    nodes = readable(result.nodes.reset_index())
    with st.expander(_("Every institution's measures")):
        st.dataframe(nodes, hide_index=True, width="stretch")
        csv_download(nodes, "netmap-metrics.csv", key="gaps-metrics-download")


def borders_tab(store, modelled: bool) -> None:
    matrix = cached.cross_border(store)
    if matrix.empty:
        st.info(_("No ties yet."))
        return
    st.caption(
        _(
            "Ties between the institutions of each pair of countries; the diagonal counts "
            "ties within a country. Pink cells: countries with no tie between them."
        )
    )
    labels = {code: country_label(code) for code in matrix.columns}
    shown = matrix.copy()
    shown.index = [labels[c] for c in shown.index]
    shown.index.name = "country"
    st.altair_chart(
        heatmap(shown, _("Country"), _("Country"), labels),
        width="stretch",
        height=chart_height(shown) + 140,
    )
    table = shown.rename(columns=labels)
    table.index.name = _("Country")
    csv_download(table.reset_index(), "netmap-cross-border.csv", key="gaps-matrix-download")
    report = gap_report(store, None, None, modelled)
    if report.missing_return_ties:
        title = _("Countries that work together without a recorded return route")
        st.markdown(f"**{title}**")
        st.markdown("\n".join(graded_line(item) for item in report.missing_return_ties))


def pathways_tab(store, network, country: str | None) -> None:
    institutions = network.institutions
    ids = list(
        institutions["id"]
        if not country
        else institutions.loc[institutions["country"] == country, "id"]
    )
    from_id = choose_institution(
        store,
        _("A victim is identified by"),
        ids=ids,
        key="gaps-pathway-from",
        placeholder=_("Choose the institution that identified the victim"),
    )
    left, right = st.columns(2)
    child = left.checkbox(_("The victim is a child"), key="gaps-pathway-child")
    origin = right.selectbox(
        _("Their country of origin, if not where they were identified"),
        sorted(set(institutions["country"])),
        index=None,
        format_func=country_label,
        key="gaps-pathway-origin",
        placeholder=_("The same country"),
        help=_(
            "A victim from abroad may return: their course then includes return, and "
            "reception and social inclusion at home."
        ),
    )
    if from_id:
        stages = _pathways(store, from_id, child, origin, include_modelled())
        modelled_note()
        st.markdown("\n".join(f"- {md(stage['why'])}" for stage in stages))
        table = pd.DataFrame(
            [
                {
                    _("Stage"): stage["label"],
                    _("Where"): country_label(stage["country"]),
                    _("Actors there"): stage["actors"],
                    _("Reachable"): len(stage["reachable"]),
                    _("Nearest (steps)"): stage["nearest_hops"],
                    _("Nearest actors"): "; ".join(
                        f"{r['institution_name']} ({r['hops']})" for r in stage["reachable"][:3]
                    ),
                }
                for stage in stages
            ]
        )
        table = readable(table)
        st.dataframe(table, hide_index=True, width="stretch")
        csv_download(table, "netmap-pathways.csv", key="gaps-pathways-download")
    title = _("Return routes between two countries")
    st.markdown(f"**{title}**")
    countries = sorted(set(institutions["country"]))
    left, right = st.columns(2)
    origin = left.selectbox(
        _("Victim found in"),
        countries,
        index=None,
        format_func=country_label,
        key="gaps-return-from",
        placeholder=_("Choose a country"),
    )
    home = right.selectbox(
        _("Returning to"),
        countries,
        index=None,
        format_func=country_label,
        key="gaps-return-to",
        placeholder=_("Choose a country"),
    )
    if origin and home and origin != home:
        routes = _return_pathways(store, origin, home, include_modelled())
        if not routes:
            st.info(_("No return or inclusion actor in that country."))
            return
        st.markdown("\n".join(f"- {md(route['why'])}" for route in routes[:10]))
        table = readable(pd.DataFrame(routes), cached.table_words(store))
        st.dataframe(table, hide_index=True, width="stretch")
        csv_download(table, "netmap-return-routes.csv", key="gaps-return-download")


def main() -> None:
    require("viewer")
    store = guarded_store()
    network = cached.network(store)
    st.title(_("Gaps and pathways"))
    if empty_state(store):
        return
    city, country = choose_scope(store, network)
    modelled = include_modelled()
    coverage_, findings, brokers, borders, routes = st.tabs(
        [
            _("Coverage"),
            _("Gaps"),
            _("Brokers and weak points"),
            _("Across borders"),
            _("Pathways"),
        ]
    )
    with coverage_:
        coverage_tab(store, modelled, city, country)
    with findings:
        findings_tab(store, modelled, city, country)
    with brokers:
        brokers_tab(store, city, country)
    with borders:
        borders_tab(store, modelled)
    with routes:
        pathways_tab(store, network, country)


run_page(main)
