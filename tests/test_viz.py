"""The pyvis drawings: safe with hostile names, self-contained offline, readable at any size.

The HTML is tested here as a string; ``test_browser.py`` checks that it renders.
"""

from __future__ import annotations

import io
import json
import re
import time
from pathlib import Path

import networkx as nx
import pytest

from netmap import viz
from netmap.export import graph_file_bytes
from netmap.graph import institution_graph, place_graph
from netmap.taxonomy import load_taxonomy

HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_LINK = '<a href="javascript:alert(2)">href</a>'


def small_graph() -> nx.MultiGraph:
    """Four institutions in two countries, with parallel, directed and cross-border ties."""
    graph = nx.MultiGraph()
    graph.add_node(
        "a",
        name="Alpha Police",
        sector="police",
        kind="government",
        country="GR",
        city="Athens",
        acronym="AP",
    )
    graph.add_node(
        "b",
        name="Бета НПО",
        name_local="Бета",
        sector="civil_society",
        kind="ngo",
        country="BG",
        city="Пловдив",
    )
    graph.add_node(
        "c",
        name="Gamma Centre for Social Work",
        sector="social_services",
        kind="government",
        country="GR",
        city="Athens",
    )
    graph.add_node(
        "h",
        name=HOSTILE,
        name_local=HOSTILE_LINK,
        sector="not_a_sector",
        country="GR",
        city="Athens",
        notes="<script>alert(3)</script>",
    )
    graph.add_edge(
        "a", "c", key="t1", kind="referral", directed=True, source_id="a", target_id="c", strength=3
    )
    graph.add_edge(
        "a", "c", key="t2", kind="meeting", directed=False, source_id="a", target_id="c", strength=1
    )
    graph.add_edge(
        "a",
        "b",
        key="t3",
        kind="protocol",
        directed=False,
        source_id="a",
        target_id="b",
        strength=2,
        since="2019",
    )
    graph.add_edge(
        "h",
        "c",
        key="t4",
        kind="joint_project",
        directed=False,
        source_id="h",
        target_id="c",
        notes=f"see {HOSTILE_LINK}",
    )
    return graph


def node(drawing: viz.Drawing, node_id: str) -> dict:
    return next(item for item in drawing.nodes if item["id"] == node_id)


def edge(drawing: viz.Drawing, a: str, b: str) -> dict:
    return next(item for item in drawing.edges if {item["from"], item["to"]} == {a, b})


# --- offline ---------------------------------------------------------------------------------


def test_the_page_carries_vis_network_and_loads_nothing_from_the_internet():
    html = viz.institution_drawing(small_graph()).html(title="netmap")
    assert "vis.Network" in html and ".vis-network" in html  # the library and its style
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.IGNORECASE)
    assert not re.search(r"<link\b", html, re.IGNORECASE)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.IGNORECASE)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html, re.IGNORECASE)
    assert "@import" not in html
    assert "cdn.jsdelivr" not in html and "cdnjs.cloudflare" not in html  # pyvis's defaults


def test_the_page_uses_no_web_fonts():
    html = viz.institution_drawing(small_graph()).html()
    assert "@font-face" not in html and "fonts.googleapis" not in html


# --- escaping --------------------------------------------------------------------------------


def test_hostile_names_never_reach_the_page_as_html():
    html = viz.institution_drawing(small_graph()).html(title=HOSTILE)
    assert "<img src=x" not in html
    assert "<script>alert(3)" not in html
    assert '<a href="javascript' not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the standalone page's title


def test_tooltips_escape_every_user_string():
    drawing = viz.institution_drawing(small_graph())
    title = node(drawing, "h")["title"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in title
    assert "&lt;a href=&quot;javascript:alert(2)&quot;&gt;href&lt;/a&gt;" in title
    assert "<img" not in title and "<a " not in title
    tie = edge(drawing, "h", "c")["title"]
    assert "&lt;a href=" in tie and "<a " not in tie


def test_tooltips_also_come_as_plain_text_for_the_app_and_stay_off_the_page():
    drawing = viz.institution_drawing(small_graph())
    tip = node(drawing, "h")["tip"]
    # The app's graph sets these as textContent: unescaped, shown exactly as written.
    assert tip["title"] == HOSTILE and tip["subtitle"] == HOSTILE_LINK
    assert tip["rows"][1] == ["Place", "Athens, Greece"]
    assert all(isinstance(value, str) for row in tip["rows"] for value in row)
    assert edge(drawing, "h", "c")["tip"]["rows"][0][1].endswith(f"see {HOSTILE_LINK}")
    html = drawing.html()
    assert '"tip"' not in html and HOSTILE not in html  # the page has its escaped titles


def test_a_title_with_href_never_switches_pyvis_to_its_innerhtml_popup():
    html = viz.institution_drawing(small_graph()).html()
    assert "href" in html  # the hostile title does contain the word…
    assert "popup.innerHTML" not in html  # …but netmap's template has no such path
    assert "tooltip_link" not in html
    assert "select-menu" not in html and "TomSelect" not in html


def test_labels_are_the_names_as_plain_text():
    drawing = viz.institution_drawing(small_graph())
    assert node(drawing, "h")["label"] == viz.shorten(HOSTILE, 26)
    assert node(drawing, "a")["label"] == "AP"  # the acronym when there is a short one
    assert node(drawing, "b")["label"] == "Бета НПО"
    options = drawing.options
    assert not options["nodes"]["font"].get("multi")  # drawn on the canvas, never parsed


def centre(node_id: str, city: str, acronym: str | None = "CSR", name: str | None = None):
    return node_id, {
        "name": name or f"Centre for social work in {city}",
        "acronym": acronym,
        "city": city,
        "country": "RS",
    }


def test_equal_acronyms_are_told_apart_by_their_city():
    labels = viz.node_labels(
        [centre("nis", "Niš"), centre("vranje", "Vranje"), centre("fiz", "Zürich", "FIZ")]
    )
    assert labels == {"nis": "CSR · Niš", "vranje": "CSR · Vranje", "fiz": "FIZ"}


def test_a_long_name_cut_short_keeps_its_city():
    labels = viz.node_labels([centre("kg", "Kragujevac", acronym=None)])
    # Cut at 26 characters it would read "Centre for social work in…", like its six siblings.
    assert labels == {"kg": "Centre for social work · Kragujevac"}


def test_equal_names_in_one_city_get_their_names_then_numbers():
    labels = viz.node_labels(
        [
            centre("a", "Niš", name="Centre for social work, Niš"),
            centre("b", "Niš", name="Police directorate Niš"),
            centre("c", "Niš", name="Police directorate Niš"),
        ]
    )
    assert labels["a"] == "Centre for social work · Niš"
    assert labels["b"] == "Police directorate Niš (1)"  # its name holds the city already
    assert labels["c"] == "Police directorate Niš (2)"
    assert len(set(labels.values())) == 3


def test_labels_given_for_the_whole_network_stay_the_same_in_a_part():
    graph = nx.MultiGraph([("nis", "fiz")])
    for node_id, data in [centre("nis", "Niš"), centre("fiz", "Zürich", "FIZ")]:
        graph.add_node(node_id, **data)
    whole = viz.node_labels([centre("nis", "Niš"), centre("vranje", "Vranje")])
    drawing = viz.institution_drawing(graph, labels=whole)
    assert node(drawing, "nis")["label"] == "CSR · Niš"  # though the only CSR drawn
    assert node(drawing, "fiz")["label"] == "FIZ"  # not in ``whole``: its own label


def test_the_json_in_the_page_cannot_close_the_script():
    graph = nx.MultiGraph()
    graph.add_node("x", name="</script><script>alert(5)</script>", sector="police", country="GR")
    html = viz.institution_drawing(graph).html()
    assert "</script><script>alert(5)" not in html


# --- styling ---------------------------------------------------------------------------------


def test_colour_by_sector_and_shape_by_kind():
    drawing = viz.institution_drawing(small_graph())
    assert node(drawing, "a")["color"] == viz.sector_colour("police")
    assert node(drawing, "c")["color"] != node(drawing, "a")["color"]
    assert node(drawing, "a")["shape"] == node(drawing, "c")["shape"] == "dot"
    assert node(drawing, "b")["shape"] == "diamond"
    assert node(drawing, "h")["color"] == viz.sector_colour("unknown")
    assert len(set(map(viz.sector_colour, load_taxonomy().sectors))) == len(load_taxonomy().sectors)


def legend_labels(drawing: viz.Drawing) -> list[str]:
    return [entry.label for entry in drawing.legend if entry.symbol == "dot"]


def test_colour_by_country_with_a_legend_of_countries_largest_first():
    graph = small_graph()
    drawing = viz.institution_drawing(
        graph, colours=viz.colouring(graph.nodes(data=True), "country")
    )
    assert node(drawing, "a")["color"] == node(drawing, "c")["color"] == node(drawing, "h")["color"]
    assert node(drawing, "b")["color"] != node(drawing, "a")["color"]
    assert legend_labels(drawing) == ["Greece (3)", "Bulgaria (1)"]
    assert "Civil society" not in [entry.label for entry in drawing.legend]  # no sectors


def test_past_twelve_countries_the_smallest_share_grey():
    nodes = [(f"n{i}", {"country": f"C{i:02d}"}) for i in range(14)]
    nodes += [("big", {"country": "C13"})]  # the largest, though its code sorts last
    colours = viz.colouring(nodes, "country")
    assert len(set(colours.colours.values())) == 13
    assert colours.colours["big"] == colours.colours["n13"] != "#b8b8b8"
    assert colours.legend[0].label == "C13 (2)"
    assert colours.legend[-1].label == "Other countries (2)"
    assert colours.colours["n12"] == colours.colours["n11"] == "#b8b8b8"


def test_colour_by_community_names_each_by_its_size_and_place():
    nodes = [(f"nis{i}", {"city": "Niš", "country": "RS"}) for i in range(4)]
    nodes += [("vranje", {"city": "Vranje", "country": "RS"})]
    nodes += [(f"gr{i}", {"city": city, "country": "GR"}) for i, city in enumerate("ABC")]
    nodes += [("alone", {"city": "Sofia", "country": "BG"}), ("unmeasured", {"country": "BG"})]
    communities = {f"nis{i}": 0 for i in range(4)} | {"vranje": 0, "alone": 2}
    communities |= {f"gr{i}": 1 for i in range(3)}
    colours = viz.colouring(nodes, "community", communities)
    assert [entry.label for entry in colours.legend] == [
        "5 institutions, most in Niš",
        "3 institutions, all in Greece",
        f"Alone or in a group of fewer than {viz.SMALL_COMMUNITY} (2)",
    ]
    assert colours.colours["vranje"] == colours.colours["nis0"] != colours.colours["gr0"]
    assert colours.colours["alone"] == colours.colours["unmeasured"] == "#b8b8b8"


def test_an_unknown_colouring_is_refused():
    with pytest.raises(ValueError, match="sector, country, community"):
        viz.colouring([], "kind")


def test_cross_border_ties_stand_out():
    drawing = viz.institution_drawing(small_graph())
    cross, domestic = edge(drawing, "a", "b"), edge(drawing, "h", "c")
    assert cross["color"]["color"] != domestic["color"]["color"]
    assert cross["width"] > domestic["width"] - 0.1


def test_parallel_ties_are_one_line_that_lists_them():
    drawing = viz.institution_drawing(small_graph())
    line = edge(drawing, "a", "c")
    assert len([e for e in drawing.edges if {e["from"], e["to"]} == {"a", "c"}]) == 1
    assert "Referral" in line["title"] and "Meeting" in line["title"]
    assert line["dashes"] is False  # the most formal tie (a referral) sets the style
    assert edge(drawing, "h", "c")["dashes"]  # a joint project is dashed


def test_a_lone_directed_tie_has_an_arrow_the_right_way():
    graph = small_graph()
    graph.add_edge("c", "b", key="t9", kind="referral", directed=True, source_id="b", target_id="c")
    line = edge(viz.institution_drawing(graph), "b", "c")
    assert (line["from"], line["to"], line["arrows"]) == ("b", "c", "to")
    assert edge(viz.institution_drawing(graph), "a", "b")["arrows"] == ""


def test_a_highlighted_path_is_drawn_black_and_the_rest_faded():
    drawing = viz.institution_drawing(small_graph(), highlight=["b", "a", "c"])
    assert edge(drawing, "a", "b")["width"] == 5
    assert edge(drawing, "a", "c")["color"]["color"] == "#111111"
    assert node(drawing, "h").get("opacity") == 0.25
    assert "opacity" not in node(drawing, "a")


def test_sizes_follow_the_chosen_measure():
    drawing = viz.institution_drawing(
        small_graph(), sizes={"a": 1.0, "b": 0.0, "c": 0.25}, size_label="Betweenness"
    )
    assert node(drawing, "a")["size"] > node(drawing, "c")["size"] > node(drawing, "b")["size"]
    assert "Betweenness" in node(drawing, "a")["title"]


def test_the_legend_shows_what_is_drawn():
    drawing = viz.institution_drawing(small_graph())
    labels = [entry.label for entry in drawing.legend]
    assert "Police" in labels and "Civil society" in labels
    assert "Health" not in labels
    assert "Cross-border tie" in labels and "Joint project or training" in labels
    html = drawing.html()
    assert 'id="netmap-legend"' in html and "Cross-border tie" in html


def test_tooltips_give_the_key_facts():
    title = node(viz.institution_drawing(small_graph()), "b")["title"]
    for fact in (
        "Бета НПО",
        "Civil society",
        "Non-governmental organisation",
        "Bulgaria",
        "Last verified",
        "Partners",
    ):
        assert fact in title


# --- size ------------------------------------------------------------------------------------


def test_how_a_graph_is_drawn_depends_on_its_size():
    assert viz.mode_for(0) == "empty"
    assert viz.mode_for(viz.PHYSICS_LIMIT) == "physics"
    assert viz.mode_for(viz.PHYSICS_LIMIT + 1) == "layout"
    assert viz.mode_for(viz.DRAW_LIMIT) == "layout"
    assert viz.mode_for(viz.DRAW_LIMIT + 1) == "places"


def synthetic(count: int, cities: int = 60, seed: int = 3) -> nx.MultiGraph:
    """``count`` institutions in ``cities`` cities, dense within a city, sparse between."""
    import random

    rng = random.Random(seed)
    graph = nx.MultiGraph()
    for i in range(count):
        city = i % cities
        graph.add_node(
            f"n{i}",
            name=f"Institution {i}",
            sector="police",
            country=f"C{city % 6}",
            city=f"City {city}",
        )
    for i in range(count * 3):
        a = rng.randrange(count)
        b = a + cities * rng.randint(1, 4) if rng.random() < 0.9 else rng.randrange(count)
        if b < count and a != b:
            graph.add_edge(f"n{a}", f"n{b}", key=f"t{i}", kind="meeting", strength=2)
    return graph


def test_a_large_graph_gets_fixed_positions_fast_and_physics_off():
    graph = synthetic(viz.DRAW_LIMIT)
    started = time.perf_counter()
    drawing = viz.institution_drawing(graph)
    elapsed = time.perf_counter() - started
    assert drawing.mode == "layout"
    assert drawing.options["physics"] == {"enabled": False}
    assert all("x" in item and "y" in item for item in drawing.nodes)
    assert elapsed < 20, f"laying out {viz.DRAW_LIMIT} institutions took {elapsed:.1f} s"
    assert "computed once" in drawing.note


def test_the_layout_keeps_a_city_together():
    graph = synthetic(600, cities=12)
    positions = viz.grouped_layout(graph)

    def spread(nodes):
        xs = [positions[n][0] for n in nodes]
        ys = [positions[n][1] for n in nodes]
        return (max(xs) - min(xs)) + (max(ys) - min(ys))

    one_city = [n for n, d in graph.nodes(data=True) if d["city"] == "City 0"]
    assert spread(one_city) < spread(list(graph.nodes)) / 2


def test_thousands_of_small_places_are_laid_out_fast():
    graph = synthetic(viz.DRAW_LIMIT, cities=viz.DRAW_LIMIT)  # every institution alone
    started = time.perf_counter()
    positions = viz.grouped_layout(graph)
    assert len(positions) == viz.DRAW_LIMIT
    assert time.perf_counter() - started < 10
    assert len({(round(x), round(y)) for x, y in positions.values()}) == viz.DRAW_LIMIT


def test_more_than_the_draw_limit_must_be_drawn_as_places():
    with pytest.raises(ValueError, match="place_drawing"):
        viz.institution_drawing(synthetic(viz.DRAW_LIMIT + 1))


def test_places_are_drawn_where_they_are(demo_store):
    network = demo_store.snapshot()
    places = place_graph(network, "city")
    drawing = viz.place_drawing(places, "city")
    assert drawing.mode == "places" and drawing.options["physics"] == {"enabled": False}
    plovdiv, subotica = node(drawing, "BG:Plovdiv"), node(drawing, "RS:Subotica")
    athens, nis = node(drawing, "GR:Athens"), node(drawing, "RS:Niš")
    assert subotica["x"] < plovdiv["x"]  # west is left
    assert athens["y"] > subotica["y"]  # north is up
    assert nis["size"] > node(drawing, "GR:Thessaloniki")["size"]  # more institutions
    assert "each circle is one of" in drawing.note


def test_the_demo_network_is_drawn_with_physics(demo_store):
    drawing = viz.institution_drawing(institution_graph(demo_store.snapshot()))
    assert drawing.mode == "physics"
    assert drawing.node_count == len(demo_store.snapshot().institutions)
    assert drawing.options["physics"]["enabled"] is True


def test_an_introduction_path_is_drawn_left_to_right():
    drawing = viz.path_drawing(small_graph(), ["b", "a", "c"])
    xs = [node(drawing, n)["x"] for n in ("b", "a", "c")]
    assert xs == sorted(xs)
    assert node(drawing, "b")["label"] == "Бета НПО"
    assert drawing.options["physics"] == {"enabled": False}


def test_a_drawn_path_runs_the_way_the_written_chain_does():
    """The chain reads Gamma → Alpha → Бета; the referral tie runs Alpha → Gamma and a
    shortcut Gamma — Бета exists. The drawing shows the chain, not the ties' own way."""
    graph = small_graph()
    graph.add_edge("c", "b", key="t5", kind="meeting", source_id="c", target_id="b")
    drawing = viz.path_drawing(graph, ["c", "a", "b"])
    arrows = [(item["from"], item["to"], item["arrows"]) for item in drawing.edges]
    assert arrows == [("c", "a", "to"), ("a", "b", "to")]
    # the tie's own direction is still said, in words, in the arrow's tooltip
    assert "Alpha Police → Gamma Centre for Social Work" in edge(drawing, "a", "c")["title"]


def test_a_path_step_without_a_recorded_tie_is_still_drawn():
    drawing = viz.path_drawing(small_graph(), ["b", "c"])
    assert [(item["from"], item["to"]) for item in drawing.edges] == [("b", "c")]


# --- the map ---------------------------------------------------------------------------------


def two_cities(lat: float | None = 40.64) -> nx.Graph:
    """Thessaloniki (coordinates ``lat``) and Sofia, with three ties across the border."""
    graph = nx.Graph()
    graph.add_node(
        "GR:Thessaloniki",
        name="Thessaloniki",
        name_local="Θεσσαλονίκη",
        country="GR",
        lat=lat,
        lon=22.94 if lat is not None else None,
        institutions=4,
        internal_ties=2,
    )
    graph.add_node("BG:Sofia", name="Sofia", country="BG", lat=42.70, lon=23.32, institutions=1)
    graph.add_edge("GR:Thessaloniki", "BG:Sofia", weight=3, cross_border=True)
    return graph


def map_layers(shown: viz.PlaceMap) -> dict[str, dict]:
    """The map's layers by id, in the order they are drawn (the first underneath)."""
    spec = json.loads(shown.figure().to_json())
    return {layer["id"]: layer for layer in spec["layers"]}


def test_the_map_puts_each_city_where_it_is_and_ties_across_borders_in_colour():
    shown = viz.place_map(two_cities(), "city")
    places = shown.points.set_index("key")
    assert places.loc["GR:Thessaloniki", "name"] == "Thessaloniki (Θεσσαλονίκη), Greece"
    assert places.loc["GR:Thessaloniki", "detail"] == "4 institutions, 2 ties inside"
    assert places.loc["BG:Sofia", "detail"] == "1 institution, 0 ties inside"
    assert (places.loc["GR:Thessaloniki", "lat"], places.loc["BG:Sofia", "lon"]) == (40.64, 23.32)
    assert places.loc["GR:Thessaloniki", "radius"] > places.loc["BG:Sofia", "radius"]
    [arc] = shown.arcs.to_dict("records")
    assert arc["name"] == "Thessaloniki — Sofia"
    assert arc["detail"] == "3 ties across a border"
    assert arc["color"] == viz.MAP_CROSS_BORDER and shown.cross_border == 1
    assert shown.missing == [] and shown.unplaced.empty


def test_the_map_draws_land_and_borders_under_the_places_and_fetches_no_tiles():
    figure = viz.place_map(two_cities(), "city").figure()
    text = figure.to_json()
    spec = json.loads(text)
    assert spec["mapStyle"] == "__MAP_STYLE__"  # pydeck's placeholder: no base map
    assert "cartocdn" not in text and "mapbox" not in text
    layers = map_layers(viz.place_map(two_cities(), "city"))
    assert list(layers) == ["land", "graticule", "borders", "ties", "places", "names"]
    types = {layer["@@type"] for layer in layers.values()}
    assert not types & {"TileLayer", "BitmapLayer", "MVTLayer", "TerrainLayer"}
    land, borders = layers["land"], layers["borders"]
    assert land["@@type"] == borders["@@type"] == "GeoJsonLayer"
    countries = {f["properties"]["iso_a2"] for f in land["data"]["features"]}
    assert {"GR", "BG", "RS", "CH", "RO", "BE", "DE"} <= countries
    assert land["filled"] and not land["stroked"]
    kinds = {f["properties"]["kind"] for f in borders["data"]["features"]}
    assert kinds == {"border", "coast"}
    assert borders["lineWidthUnits"] == "pixels"  # a constant, not an expression
    assert layers["names"]["characterSet"] == "auto"  # Θεσσαλονίκη, Niš: every letter
    # a "text" tooltip is shown as plain text; an "html" one would parse the names
    assert figure._tooltip == {"text": "{name}\n{detail}"}  # where Streamlit reads it
    # compact: pydeck's indented JSON would send 2 MB of borders on every run
    assert len(text) < 600_000


def test_the_land_file_is_natural_earth_and_says_so():
    world = viz.natural_earth()
    assert "Natural Earth" in world["source"] and "public domain" in world["source"]
    readme = (Path(viz.data_file("world", "README.md"))).read_text(encoding="utf-8")
    assert "public domain" in readme and "world-atlas" in readme and "ISC" in readme
    assert Path(viz.data_file(*viz.WORLD_FILE)).stat().st_size < 1_000_000


def test_a_city_without_coordinates_is_listed_not_drawn():
    shown = viz.place_map(two_cities(lat=None), "city")
    assert list(shown.points["key"]) == ["BG:Sofia"]
    assert shown.arcs.empty and shown.cross_border == 0
    assert shown.missing == ["Thessaloniki (GR)"]
    [row] = shown.unplaced.to_dict("records")
    assert row == {
        "key": "GR:Thessaloniki",
        "name": "Thessaloniki",
        "country": "GR",
        "institutions": 4,
        "city": True,
    }
    assert "ties" not in map_layers(shown)


def test_a_country_none_of_whose_cities_has_coordinates_stands_inside_it():
    graph = nx.Graph()
    graph.add_node("RO", name="Romania", country="RO", lat=None, lon=None, institutions=2)
    graph.add_node("GR", name="Greece", country="GR", lat=40.0, lon=22.0, institutions=5)
    graph.add_node("XX", name="Nowhere", country="XX", lat=None, lon=None, institutions=1)
    shown = viz.place_map(graph, "country")
    romania = shown.points.set_index("key").loc["RO"]
    assert 43.5 < romania["lat"] < 48.5 and 20 < romania["lon"] < 30
    assert "none of its cities has coordinates" in romania["detail"]
    assert shown.missing == ["Nowhere"]


def test_only_cross_border_ties_are_kept_when_asked():
    graph = two_cities()
    graph.add_node("GR:Athens", name="Athens", country="GR", lat=37.98, lon=23.73, institutions=2)
    graph.add_edge("GR:Athens", "GR:Thessaloniki", weight=1, cross_border=False)
    assert len(viz.place_map(graph, "city").arcs) == 2
    shown = viz.place_map(graph, "city", only_cross_border=True)
    assert list(shown.arcs["name"]) == ["Thessaloniki — Sofia"]


def crowded(count: int = 80) -> nx.Graph:
    """``count`` towns a few kilometres apart, the first with the most institutions."""
    graph = nx.Graph()
    for i in range(count):
        graph.add_node(
            f"GR:{i}",
            name=f"Town {i}",
            country="GR",
            lat=40 + (i % 10) / 50,
            lon=22 + (i // 10) / 50,
            institutions=count - i,
        )
    return graph


def boxes_overlap(a, b) -> bool:
    return not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])


def test_names_on_a_crowded_map_never_overlap_and_the_biggest_places_come_first():
    shown = viz.place_map(crowded(), "city")
    zoom = viz.view_state(shown.points).zoom
    named = shown.labelled
    assert 1 <= len(named) < len(shown.points)
    assert "Town 0" in set(named["label"])  # the most institutions: named first
    boxes = [viz.label_box(r.label, r.lat, r.lon, zoom) for r in named.itertuples()]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not boxes_overlap(a, b), (a, b)
    # each unnamed place would collide with a named one that has more institutions
    for place in shown.points[~shown.points["labelled"]].itertuples():
        box = viz.label_box(place.label, place.lat, place.lon, zoom)
        assert any(
            boxes_overlap(box, other) and named_place.institutions >= place.institutions
            for other, named_place in zip(boxes, named.itertuples(), strict=True)
        )


def test_names_that_do_not_collide_are_all_written():
    shown = viz.place_map(two_cities(), "city")
    assert shown.points["labelled"].all()


def test_the_map_writes_only_the_chosen_names():
    shown = viz.place_map(crowded(), "city")
    layer = map_layers(shown)["names"]
    assert [row["label"] for row in layer["data"]] == list(shown.labelled["label"])


def test_the_demo_map_shows_its_cities_and_lists_the_countries_without_a_city(demo_network):
    shown = viz.place_map(place_graph(demo_network, "city"), "city")
    assert {"Niš", "Plovdiv", "Thessaloniki"} <= set(shown.points["label"])
    assert not shown.arcs.empty
    assert "Belgium (BE)" in shown.missing  # institutions known only by their country
    belgium = shown.unplaced.set_index("key").loc["BE:"]
    assert not belgium["city"]  # no coordinates can place them: they name no city
    assert 1.0 <= viz.view_state(shown.points).zoom <= 10.0


# --- files -----------------------------------------------------------------------------------


def test_the_view_downloads_as_graphml_gephi_can_read():
    data = graph_file_bytes(small_graph(), "graphml")
    back = nx.read_graphml(io.BytesIO(data))
    assert back.number_of_nodes() == 4 and back.number_of_edges() == 4
    assert back.nodes["h"]["name"] == HOSTILE


def test_the_standalone_page_says_what_it_shows():
    drawing = viz.institution_drawing(small_graph())
    html = drawing.html(title="netmap – network view")
    assert "<h1>netmap – network view</h1>" in html
    assert "4 institutions" in html
    data = json.loads(re.search(r"withTips\((\[.*?\])\)\);", html, re.DOTALL).group(1))
    assert {item["id"] for item in data} == {"a", "b", "c", "h"}


# --- the live graph and pictures -------------------------------------------------------------


def test_the_live_graph_gets_plain_text_tooltips_and_no_html():
    data = viz.live_data(viz.institution_drawing(small_graph()))
    json.dumps(data)  # JSON-ready as it is
    assert data["mode"] == "physics" and len(data["nodes"]) == 4 and len(data["edges"]) == 3
    assert all("title" not in item and "tip" in item for item in data["nodes"] + data["edges"])
    hostile = next(item for item in data["nodes"] if item["id"] == "h")
    assert hostile["tip"]["title"] == HOSTILE  # set as textContent by the page
    assert {"symbol": "line", "label": "Cross-border tie"}.items() <= data["legend"][-2].items()


def test_vis_network_comes_without_its_missing_source_map():
    script, style = viz.vis_network_assets()
    assert "vis-network" in script[:200] and "sourceMappingURL" not in script
    assert ".vis-network" in style and "http" not in style.replace("http://www.w3.org", "")


def svg_tree(svg: str):
    from defusedxml import ElementTree

    return ElementTree.fromstring(svg)


def test_the_svg_picture_puts_each_node_where_the_graph_has_it():
    graph = small_graph()
    graph.add_edge("b", "c", kind="referral", directed=True, source_id="b", target_id="c")
    drawing = viz.institution_drawing(graph)  # laid out by the browser: no x, y
    svg = viz.svg_picture(drawing, {"a": [0, 0], "b": [300, 0], "c": [0, 200]}, title="View")
    tree = svg_tree(svg)
    ns = "{http://www.w3.org/2000/svg}"
    groups = tree.findall(f"{ns}g")
    assert len(groups) == 4 and tree.find(f"{ns}text").text == "View"
    named = {g.find(f"{ns}title").text: g for g in groups}
    circle = named["Alpha Police"].find(f"{ns}circle")
    assert (float(circle.get("cx")), float(circle.get("cy"))) == (0.0, 0.0)
    assert named["Бета НПО"].find(f"{ns}polygon") is not None  # an NGO: a diamond
    assert named[HOSTILE] is not None  # no position given: placed beside the others
    labels = [t.text for t in tree.iter(f"{ns}text")]
    assert "AP" in labels and "Cross-border tie" in labels and "Civil society" in labels
    directed = [line for line in tree.iter(f"{ns}line") if line.get("marker-end")]
    assert len(directed) == 1 and tree.find(f".//{ns}marker") is not None


def test_the_svg_picture_holds_hostile_names_as_text_only():
    graph = small_graph()
    graph.nodes["h"]["name"] = HOSTILE + "\x00\x1b"  # control characters XML cannot hold
    svg = viz.svg_picture(viz.institution_drawing(graph))
    assert "<img" not in svg and "<a " not in svg and "<script" not in svg
    tree = svg_tree(svg)  # still well-formed
    ns = "{http://www.w3.org/2000/svg}"
    assert HOSTILE in [g.find(f"{ns}title").text for g in tree.iter(f"{ns}g")]
    assert not [e for e in tree.iter() if e.tag.split("}")[-1] in ("script", "foreignObject")]


def test_a_tooltip_cites_registered_sources_and_keeps_free_text():
    from netmap.tables import TableWords

    words = TableWords(sources={"000_abc.txt": "Local networks (Atina, Jun 2013)"})
    shown = viz.institution_tip(
        {"name": "CSR Niš", "source": "000_abc.txt; a phone call, 2024"}, cite=words.source
    ).data()
    assert ["Source", "Local networks (Atina, Jun 2013); a phone call, 2024"] in shown["rows"]
