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
from netmap.io.forms import locate_city
from netmap.tables import readable
from netmap.ui import cached
from netmap.ui.access import allowed, current_user_record, guarded_store, require
from netmap.ui.demo import empty_state
from netmap.ui.text import country_label, md, shown_as
from netmap.ui.widgets import csv_download, run_page


def main() -> None:
    require("viewer")
    store = guarded_store()
    st.title("Map")
    if message := st.session_state.pop("map-saved", None):
        st.success(md(message))
    if empty_state(store):
        return
    outline = cached.outline(store)
    left, middle, right = st.columns([1, 2, 1])
    level = (
        middle.segmented_control(
            "Show",
            ["city", "country"],
            default="city",
            format_func=shown_as({"city": "Cities", "country": "Countries"}),
            key="map-level",
        )
        or "city"
    )
    countries = left.multiselect(
        "Countries",
        sorted(set(outline.institutions["country"])),
        format_func=country_label,
        key="map-countries",
        placeholder="All countries",
    )
    only_cross = right.toggle("Only cross-border ties", key="map-cross")
    graph = cached.places_graph(store, level, NetworkFilter(countries=tuple(countries)))
    shown = viz.place_map(graph, level, only_cross_border=only_cross)
    points, arcs = shown.points, shown.arcs
    if points.empty:
        st.warning("No place of this selection has coordinates.")
    else:
        st.pydeck_chart(shown.figure(), height=viz.MAP_HEIGHT, key="map-chart")
        cross = shown.cross_border
        unnamed = len(points) - len(shown.labelled)
        st.caption(
            f"{len(points)} {'cities' if level == 'city' else 'countries'}, sized by their "
            f"institutions; {len(arcs)} link{'s' * (len(arcs) != 1)} between them, {cross} "
            "across borders (in raspberry). Scroll to zoom, drag to move, hover for details."
            + (
                f" {unnamed} name{'s are' if unnamed != 1 else ' is'} left off so that none "
                "covers another: hover over a place to read it, or choose its country above "
                "to see more names."
                if unnamed
                else ""
            )
            + " Land and borders: Natural Earth (public domain)."
        )
    unplaced_section(store, shown.unplaced, level)
    if not arcs.empty:
        table = readable(
            arcs.sort_values("weight", ascending=False)[["name", "weight", "cross_border"]],
            headers={"name": "Between", "weight": "Ties", "cross_border": "Across a border"},
        )
        with st.expander("The links as a table"):
            st.dataframe(table, hide_index=True, width="stretch")
            csv_download(table, f"netmap-links-{level}.csv", key="map-download")


def unplaced_section(store, unplaced: pd.DataFrame, level: str) -> None:
    """The places left off the map: cities without coordinates (an editor can add them
    here) and, per country, the institutions that name no city."""
    cities = unplaced[unplaced["city"]] if not unplaced.empty else unplaced
    countries = unplaced[~unplaced["city"]] if not unplaced.empty else unplaced
    if not cities.empty:
        count = len(cities)
        st.markdown(
            f"**{count} {'city is' if count == 1 else 'cities are'} not on the map**: "
            "their coordinates are not recorded."
        )
        st.dataframe(
            readable(
                cities[["name", "country", "institutions"]],
                headers={"name": "City", "institutions": "Institutions"},
            ),
            hide_index=True,
            width="stretch",
        )
        if allowed("editor"):
            coordinates_form(store, cities)
        else:
            st.caption(
                "An editor can add their coordinates here, or in the cities table (Data page)."
            )
    if not countries.empty:
        where = ", ".join(
            f"{country_name(row['country'])} ({row['institutions']})"
            for row in countries.to_dict("records")
        )
        if level == "city":
            st.caption(
                md(
                    f"Institutions that name no city, only their country (national bodies, "
                    f"mostly), are not on the city map: {where}. The Countries view shows them."
                )
            )
        else:
            st.caption(md(f"Not on the map, for want of coordinates: {where}."))


def coordinates_form(store, cities: pd.DataFrame) -> None:
    """An editor's form: a city of ``cities`` and its latitude and longitude."""
    labels = {
        row["key"]: f"{row['name']}, {country_name(row['country'])}"
        for row in cities.to_dict("records")
    }
    rows = {row["key"]: row for row in cities.to_dict("records")}
    with st.form("map-coordinates", clear_on_submit=False, border=True):
        st.markdown("**Add a city's coordinates**")
        left, middle, right = st.columns([2, 1, 1])
        key = left.selectbox("City", list(labels), format_func=shown_as(labels), key="map-city")
        lat = middle.number_input(
            "Latitude",
            min_value=-90.0,
            max_value=90.0,
            value=None,
            format="%.4f",
            key="map-lat",
            placeholder="e.g. 42.6977",
            help="Degrees north (negative: south).",
        )
        lon = right.number_input(
            "Longitude",
            min_value=-180.0,
            max_value=180.0,
            value=None,
            format="%.4f",
            key="map-lon",
            placeholder="e.g. 23.3219",
            help="Degrees east (negative: west).",
        )
        st.caption(
            "Copy them from any map (right-click a place in most online maps, or a printed "
            "atlas): decimal degrees, as 42.6977, 23.3219 for Sofia."
        )
        saved = st.form_submit_button("Save the coordinates", type="primary")
    if not saved or key is None:
        return
    if lat is None or lon is None:
        st.error("Give both the latitude and the longitude.")
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
        st.error("Not saved: " + "; ".join(f"{p.field}: {p.message}" for p in failed.problems))
        return
    except NetmapError as error:
        st.error(f"Not saved: {error}")
        return
    st.session_state["map-saved"] = f"Saved the coordinates of {city['name']}."
    st.rerun()


run_page(main)
