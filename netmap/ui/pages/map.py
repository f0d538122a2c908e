"""Map: cities (or countries) where the network's institutions are, and the ties as arcs.

Drawn by :func:`netmap.viz.place_map` (pydeck) on a plain background with a grid of
meridians and parallels: no map tiles, so it shows without internet. Cross-border ties
stand out in colour.
"""

from __future__ import annotations

import streamlit as st

from netmap import viz
from netmap.graph import NetworkFilter
from netmap.ui import cached
from netmap.ui.access import guarded_store, require
from netmap.ui.demo import empty_state
from netmap.ui.text import country_label, md, shown_as
from netmap.ui.widgets import csv_download, run_page


def main() -> None:
    require("viewer")
    store = guarded_store()
    st.title("Map")
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
    points, arcs, missing = shown.points, shown.arcs, shown.missing
    if points.empty:
        st.warning(
            "No place of this selection has coordinates. Add lat and lon to the cities "
            "table (Data page) to see them on the map."
        )
        return
    st.pydeck_chart(shown.figure(), height=viz.MAP_HEIGHT, key="map-chart")
    cross = shown.cross_border
    st.caption(
        f"{len(points)} {'cities' if level == 'city' else 'countries'}, sized by their "
        f"institutions; {len(arcs)} links between them, {cross} across borders "
        "(in raspberry). Scroll to zoom, drag to move, hover for details."
    )
    if missing:
        st.caption(
            f"Not on the map, for want of coordinates: {md(', '.join(missing[:20]))}"
            + (f" and {len(missing) - 20} more" if len(missing) > 20 else "")
            + "."
        )
    if not arcs.empty:
        table = arcs.sort_values("weight", ascending=False)[["name", "weight", "cross_border"]]
        table.columns = ["Between", "Ties", "Across a border"]
        with st.expander("The links as a table"):
            st.dataframe(table, hide_index=True, width="stretch")
            csv_download(table, f"netmap-links-{level}.csv", key="map-download")


run_page(main)
