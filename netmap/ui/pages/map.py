"""Map: cities (or countries) where the network's institutions are, and the ties as arcs.

Drawn by :func:`netmap.viz.place_map` (pydeck) over land and country borders from Natural
Earth, shipped with netmap: no map tiles, so it shows without internet. Cross-border ties
stand out in colour; names are written where they do not collide, and more appear on
zooming in. The places that cannot be drawn for want of coordinates are listed under the
map, and an editor can give a city its coordinates there.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from netmap import viz
from netmap.codes import country_name
from netmap.errors import NetmapError, ValidationFailed
from netmap.graph import NetworkFilter
from netmap.i18n import N_, format_number, ngettext
from netmap.i18n import gettext as _
from netmap.io.forms import locate_city
from netmap.tables import readable
from netmap.ui import cached
from netmap.ui.access import allowed, current_user_record, guarded_store, require
from netmap.ui.demo import empty_state
from netmap.ui.text import country_label, md, shown_as
from netmap.ui.widgets import csv_download, run_page

#: What the map shows, by the option's value.
LEVELS = {
    # Translators: the map shows [Cities | Countries].
    "city": N_("Cities"),
    # Translators: the map shows [Cities | Countries].
    "country": N_("Countries"),
}


def main() -> None:
    require("viewer")
    store = guarded_store()
    # Translators: the title of the page with the map of places.
    st.title(_("Map"))
    if message := st.session_state.pop("map-saved", None):
        st.success(message)
    if empty_state(store):
        return
    outline = cached.outline(store)
    left, middle, right = st.columns([1, 2, 1])
    level = (
        middle.segmented_control(
            # Translators: followed by the choice [Cities | Countries].
            _("Show"),
            list(LEVELS),
            default="city",
            format_func=lambda level: _(LEVELS[level]),
            key="map-level",
        )
        or "city"
    )
    countries = left.multiselect(
        _("Countries"),
        sorted(set(outline.institutions["country"])),
        format_func=country_label,
        key="map-countries",
        placeholder=_("All countries"),
    )
    only_cross = right.toggle(_("Only cross-border ties"), key="map-cross")
    graph = cached.places_graph(store, level, NetworkFilter(countries=tuple(countries)))
    shown = viz.place_map(graph, level, only_cross_border=only_cross)
    points, arcs = shown.points, shown.arcs
    if points.empty:
        st.warning(_("No place of this selection has coordinates."))
    else:
        st.pydeck_chart(shown.figure(), height=viz.MAP_HEIGHT, key="map-chart")
        st.caption(map_caption(len(points), len(arcs), shown.cross_border, level, shown))
    unplaced_section(store, shown.unplaced, level)
    if not arcs.empty:
        table = readable(
            arcs.sort_values("weight", ascending=False)[["name", "weight", "cross_border"]],
            headers={
                # Translators: a column header: the two places a link joins.
                "name": _("Between"),
                "weight": _("Ties"),
                "cross_border": _("Across a border"),
            },
        )
        with st.expander(_("The links as a table")):
            st.dataframe(table, hide_index=True, width="stretch")
            csv_download(table, f"netmap-links-{level}.csv", key="map-download")


def map_caption(places: int, links: int, cross: int, level: str, shown: viz.PlaceMap) -> str:
    """What the map shows, in a few sentences."""
    if level == "city":
        what = ngettext(
            "%(count)s city, sized by its institutions.",
            "%(count)s cities, sized by their institutions.",
            places,
        )
    else:
        what = ngettext(
            "%(count)s country, sized by its institutions.",
            "%(count)s countries, sized by their institutions.",
            places,
        )
    sentences = [
        what % {"count": format_number(places)},
        ngettext(
            "%(count)s link between them, %(cross)s across borders (in raspberry).",
            "%(count)s links between them, %(cross)s across borders (in raspberry).",
            links,
        )
        % {"count": format_number(links), "cross": format_number(cross)},
        _("Scroll to zoom, drag to move, hover for details."),
    ]
    unnamed = places - len(shown.labelled)
    if unnamed:
        sentences.append(
            ngettext(
                "%(count)s name is left off so that none covers another: hover over a place "
                "to read it, or choose its country above to see more names.",
                "%(count)s names are left off so that none covers another: hover over a "
                "place to read it, or choose its country above to see more names.",
                unnamed,
            )
            % {"count": format_number(unnamed)}
        )
    sentences.append(_("Land and borders: Natural Earth (public domain)."))
    return " ".join(sentences)


def unplaced_section(store, unplaced: pd.DataFrame, level: str) -> None:
    """The places left off the map: cities without coordinates (an editor can add them
    here) and, per country, the institutions that name no city."""
    cities = unplaced[unplaced["city"]] if not unplaced.empty else unplaced
    countries = unplaced[~unplaced["city"]] if not unplaced.empty else unplaced
    if not cities.empty:
        count = len(cities)
        st.markdown(
            ngettext(
                "**%(count)s city is not on the map**: its coordinates are not recorded.",
                "**%(count)s cities are not on the map**: their coordinates are not recorded.",
                count,
            )
            % {"count": format_number(count)}
        )
        st.dataframe(
            readable(
                cities[["name", "country", "institutions"]],
                headers={
                    "name": _("City"),
                    "country": _("Country"),
                    "institutions": _("Institutions"),
                },
            ),
            hide_index=True,
            width="stretch",
        )
        if allowed("editor"):
            coordinates_form(store, cities)
        else:
            st.caption(
                _("An editor can add their coordinates here, or in the cities table (Data page).")
            )
    if not countries.empty:
        where = md(
            ", ".join(
                f"{country_name(row['country'])} ({format_number(row['institutions'])})"
                for row in countries.to_dict("records")
            )
        )
        if level == "city":
            st.caption(
                _(
                    "Institutions that name no city, only their country (national bodies, "
                    "mostly), are not on the city map: %(places)s. The Countries view shows "
                    "them."
                )
                % {"places": where}
            )
        else:
            st.caption(
                _("Not on the map, for want of coordinates: %(places)s.") % {"places": where}
            )


def coordinates_form(store, cities: pd.DataFrame) -> None:
    """An editor's form: a city of ``cities`` and its latitude and longitude."""
    labels = {
        row["key"]: f"{row['name']}, {country_name(row['country'])}"
        for row in cities.to_dict("records")
    }
    rows = {row["key"]: row for row in cities.to_dict("records")}
    with st.form("map-coordinates", clear_on_submit=False, border=True):
        st.markdown(_("**Add a city's coordinates**"))
        left, middle, right = st.columns([2, 1, 1])
        key = left.selectbox(_("City"), list(labels), format_func=shown_as(labels), key="map-city")
        lat = middle.number_input(
            _("Latitude"),
            min_value=-90.0,
            max_value=90.0,
            value=None,
            format="%.4f",
            key="map-lat",
            # Translators: keep the decimal point: the field reads 42.6977, not 42,6977.
            placeholder=_("e.g. %(example)s") % {"example": "42.6977"},
            help=_("Degrees north (negative: south)."),
        )
        lon = right.number_input(
            _("Longitude"),
            min_value=-180.0,
            max_value=180.0,
            value=None,
            format="%.4f",
            key="map-lon",
            placeholder=_("e.g. %(example)s") % {"example": "23.3219"},
            help=_("Degrees east (negative: west)."),
        )
        st.caption(
            # Translators: keep the numbers as they are (with decimal points): the fields
            # read them so.
            _(
                "Copy them from any map (right-click a place in most online maps, or a "
                "printed atlas): decimal degrees, as 42.6977, 23.3219 for Sofia."
            )
        )
        saved = st.form_submit_button(_("Save the coordinates"), type="primary")
    if not saved or key is None:
        return
    if lat is None or lon is None:
        st.error(_("Give both the latitude and the longitude."))
        return
    city = rows[key]
    try:
        locate_city(
            store,
            city["country"],
            city["name"],
            lat,
            lon,
            reported_by=current_user_record().name,
        )
    except ValidationFailed as failed:
        problems = _("; ").join(f"{p.field}: {p.message}" for p in failed.problems)
        st.error(_("Not saved: %(problems)s") % {"problems": problems})
        return
    except NetmapError as error:
        st.error(_("Not saved: %(problems)s") % {"problems": error})
        return
    st.session_state["map-saved"] = _("Saved the coordinates of %(city)s.") % {
        "city": md(city["name"])
    }
    st.rerun()


run_page(main)
