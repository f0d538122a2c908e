"""Map: cities (or countries) where the network's institutions are, and the ties as arcs.

Drawn with pydeck on a plain background with a grid of meridians and parallels: no map
tiles, so it shows without internet. Cross-border ties stand out in colour.
"""

from __future__ import annotations

import math

import pandas as pd
import pydeck as pdk
import streamlit as st

from netmap.codes import country_name
from netmap.graph import NetworkFilter
from netmap.ui import common
from netmap.ui.access import require

CROSS_BORDER = [194, 37, 92, 170]
DOMESTIC = [31, 78, 153, 120]
POINT = [11, 114, 133, 210]
GRID = [200, 206, 214, 160]


def place_tables(graph, level: str) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Points and arcs for the map, and the names of places without coordinates."""
    points, missing = [], []
    for key, data in graph.nodes(data=True):
        name = data.get("name") or key
        if data.get("lat") is None or data.get("lon") is None:
            missing.append(f"{name} ({data.get('country')})" if level == "city" else name)
            continue
        local = data.get("name_local")
        title = f"{name} ({local})" if local and local != name else name
        if level == "city":
            title = f"{title}, {country_name(data.get('country'))}"
        institutions = int(data.get("institutions") or 0)
        points.append(
            {
                "key": key,
                "name": title,
                "label": name,
                "detail": f"{institutions} institution{'s' * (institutions != 1)}, "
                f"{int(data.get('internal_ties') or 0)} ties inside",
                "lat": float(data["lat"]),
                "lon": float(data["lon"]),
                "institutions": institutions,
                "radius": 9000 * (1 + math.sqrt(institutions)),  # metres
            }
        )
    located = {p["key"]: p for p in points}
    arcs = []
    for a, b, data in graph.edges(data=True):
        if a not in located or b not in located:
            continue
        weight = int(data.get("weight") or 1)
        arcs.append(
            {
                "name": f"{located[a]['label']} — {located[b]['label']}",
                "detail": f"{weight} tie{'s' * (weight != 1)}"
                + (" across a border" if data.get("cross_border") else ""),
                "from_lon": located[a]["lon"],
                "from_lat": located[a]["lat"],
                "to_lon": located[b]["lon"],
                "to_lat": located[b]["lat"],
                "weight": weight,
                "width": 1 + 1.5 * math.sqrt(weight),
                "color": CROSS_BORDER if data.get("cross_border") else DOMESTIC,
                "cross_border": bool(data.get("cross_border")),
            }
        )
    return pd.DataFrame(points), pd.DataFrame(arcs), sorted(missing)


def graticule(points: pd.DataFrame, step: int) -> pd.DataFrame:
    """Meridians and parallels every ``step`` degrees around the points: a sense of place."""
    south = math.floor((points["lat"].min() - step) / step) * step
    north = math.ceil((points["lat"].max() + step) / step) * step
    west = math.floor((points["lon"].min() - step) / step) * step
    east = math.ceil((points["lon"].max() + step) / step) * step
    lines = []
    for lon in range(west, east + 1, step):
        lines.append({"path": [[lon, lat] for lat in range(south, north + 1)]})
    for lat in range(south, north + 1, step):
        lines.append({"path": [[lon, lat] for lon in range(west, east + 1)]})
    return pd.DataFrame(lines)


def view_state(points: pd.DataFrame, width: int = 900, height: int = 560) -> pdk.ViewState:
    """Centre and zoom (Web Mercator) so that every point fits in a map of that size."""
    lat_mid = float((points["lat"].max() + points["lat"].min()) / 2)
    lon_span = max(float(points["lon"].max() - points["lon"].min()), 0.2)
    lat_span = max(float(points["lat"].max() - points["lat"].min()), 0.2)
    stretch = 1 / max(math.cos(math.radians(lat_mid)), 0.2)  # Mercator near that latitude
    fit_x = 0.8 * width * 360 / (512 * lon_span)
    fit_y = 0.75 * height * 360 / (512 * lat_span * stretch)
    zoom = max(min(math.log2(min(fit_x, fit_y)), 10.0), 1.0)
    return pdk.ViewState(
        latitude=lat_mid,
        longitude=float((points["lon"].max() + points["lon"].min()) / 2),
        zoom=zoom,
    )


def deck(points: pd.DataFrame, arcs: pd.DataFrame, show_labels: bool) -> pdk.Deck:
    span = max(points["lat"].max() - points["lat"].min(), points["lon"].max() - points["lon"].min())
    layers = [
        pdk.Layer(
            "PathLayer",
            graticule(points, 1 if span < 6 else 5),
            get_path="path",
            get_color=GRID,
            width_min_pixels=1,
            pickable=False,
        )
    ]
    if not arcs.empty:
        layers.append(
            pdk.Layer(
                "ArcLayer",
                arcs,
                get_source_position="[from_lon, from_lat]",
                get_target_position="[to_lon, to_lat]",
                get_source_color="color",
                get_target_color="color",
                get_width="width",
                width_min_pixels=1,
                pickable=True,
                auto_highlight=True,
            )
        )
    layers.append(
        pdk.Layer(
            "ScatterplotLayer",
            points,
            get_position="[lon, lat]",
            get_radius="radius",
            radius_min_pixels=5,
            radius_max_pixels=30,
            get_fill_color=POINT,
            get_line_color=[255, 255, 255],
            line_width_min_pixels=1,
            stroked=True,
            pickable=True,
            auto_highlight=True,
        )
    )
    if show_labels:
        layers.append(
            pdk.Layer(
                "TextLayer",
                points,
                get_position="[lon, lat]",
                get_text="label",
                get_size=13,
                get_color=[30, 30, 30],
                get_pixel_offset=[0, -16],
                # pydeck sends string properties as expressions: constants are quoted.
                # "auto": every letter the labels use, not only ASCII (Niš, Zürich).
                character_set='"auto"',
                font_family='"system-ui, Segoe UI, Roboto, Noto Sans, Arial, sans-serif"',
                font_weight=600,
                outline_width=3,
                outline_color=[255, 255, 255, 230],
                font_settings={"sdf": True},
            )
        )
    return pdk.Deck(
        layers=layers,
        initial_view_state=view_state(points),
        # No base map, so nothing is fetched from the internet: with no provider, pydeck
        # leaves its map-style placeholder, which Streamlit reads as "no base map" (an
        # explicit map_style=None would make Streamlit fetch Carto's tiles instead).
        map_provider=None,
        # "text" tooltips are shown as plain text (an "html" one would parse user names).
        tooltip={"text": "{name}\n{detail}"},
        views=[pdk.View(type="MapView", controller=True)],
    )


def main() -> None:
    require("viewer")
    store = common.store()
    st.title("Map")
    if common.empty_state(store):
        return
    outline = common.outline(store)
    left, middle, right = st.columns([1, 2, 1])
    level = (
        middle.segmented_control(
            "Show",
            ["city", "country"],
            default="city",
            format_func={"city": "Cities", "country": "Countries"}.get,
            key="map-level",
        )
        or "city"
    )
    countries = left.multiselect(
        "Countries",
        sorted(set(outline.institutions["country"])),
        format_func=common.country_label,
        key="map-countries",
        placeholder="All countries",
    )
    only_cross = right.toggle("Only cross-border ties", key="map-cross")
    graph = common.places_graph(store, level, NetworkFilter(countries=tuple(countries)))
    points, arcs, missing = place_tables(graph, level)
    if points.empty:
        st.warning(
            "No place of this selection has coordinates. Add lat and lon to the cities "
            "table (Data page) to see them on the map."
        )
        return
    if only_cross and not arcs.empty:
        arcs = arcs[arcs["cross_border"]]
    st.pydeck_chart(
        deck(points, arcs, show_labels=len(points) <= 60),
        height=560,
        key="map-chart",
    )
    cross = int(arcs["cross_border"].sum()) if not arcs.empty else 0
    st.caption(
        f"{len(points)} {'cities' if level == 'city' else 'countries'}, sized by their "
        f"institutions; {len(arcs)} links between them, {cross} across borders "
        "(in raspberry). Scroll to zoom, drag to move, hover for details."
    )
    if missing:
        st.caption(
            f"Not on the map, for want of coordinates: {common.md(', '.join(missing[:20]))}"
            + (f" and {len(missing) - 20} more" if len(missing) > 20 else "")
            + "."
        )
    if not arcs.empty:
        table = arcs.sort_values("weight", ascending=False)[["name", "weight", "cross_border"]]
        table.columns = ["Between", "Ties", "Across a border"]
        with st.expander("The links as a table"):
            st.dataframe(table, hide_index=True, width="stretch")
            common.csv_download(table, f"netmap-links-{level}.csv", key="map-download")


common.run_page(main)
