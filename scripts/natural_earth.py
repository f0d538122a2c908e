"""Make ``data/world/countries-europe-50m.geojson`` from the npm package ``world-atlas``.

The Map page draws land and country borders from that file, shipped with netmap, so it
reads offline. Run once by a developer, not by netmap (nothing is fetched at run time)::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/natural_earth.py package/countries-50m.json

``world-atlas`` (ISC licence) is Natural Earth's 1:50m admin-0 countries (version 4.1.0,
public domain) as TopoJSON. This keeps the countries of Europe and its neighbours, clipped
to :data:`BOX`, each shared arc simplified once (Douglas-Peucker, :data:`TOLERANCE`
degrees) so that neighbours still meet, coordinates rounded to :data:`DIGITS` places. The
result holds one feature per country (``kind``: ``land``, with ``name``, ``iso_n3``, the
ISO 3166-1 alpha-2 ``iso_a2`` where pycountry knows the number, and ``centre``: a point
inside its largest part, for a country none of whose cities has coordinates) and two
line features: ``border`` (arcs two countries share) and ``coast`` (the rest), so
that the edge of the clipping box is never drawn as a line.
"""

from __future__ import annotations

import json
import sys
from itertools import pairwise
from pathlib import Path

#: west, south, east, north in degrees: Europe, the Caucasus, the Middle East, North Africa.
BOX = (-32.0, 20.0, 65.0, 72.0)
TOLERANCE = 0.02  # degrees: about 2 km, finer than a pixel at the map's first zoom
DIGITS = 2  # about 1 km
OUT = Path(__file__).resolve().parent.parent / "data" / "world" / "countries-europe-50m.geojson"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The arcs of a quantised TopoJSON topology, in longitude and latitude."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker: the points that keep the line within ``tolerance`` of itself."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = (dx * dx + dy * dy) ** 0.5
        farthest, index = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0:
                distance = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            else:
                distance = abs(dy * px - dx * py + bx * ay - by * ax) / length
            if distance > farthest:
                farthest, index = distance, i
        if farthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def ring_points(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list:
    """A ring of arc indices (``~i`` for arc ``i`` reversed) as one closed line of points."""
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points += arc if not points else arc[1:]
    return points


def clip_ring(points: list, box: tuple[float, float, float, float]) -> list:
    """Sutherland-Hodgman: the part of a closed ring inside ``box`` (may be empty)."""
    west, south, east, north = box
    edges = [
        (lambda p: p[0] >= west, lambda a, b: _at_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _at_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _at_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _at_y(a, b, north)),
    ]
    for inside, cross in edges:
        if not points:
            break
        kept = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if inside(current):
                if not inside(previous):
                    kept.append(cross(previous, current))
                kept.append(current)
            elif inside(previous):
                kept.append(cross(previous, current))
        points = kept
    return points


def _at_x(a: tuple, b: tuple, x: float) -> tuple[float, float]:
    return x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0])


def _at_y(a: tuple, b: tuple, y: float) -> tuple[float, float]:
    return a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y


def clip_line(points: list, box: tuple[float, float, float, float]) -> list[list]:
    """The runs of a line's points that lie inside ``box`` (at least two points each)."""
    west, south, east, north = box
    runs, run = [], []
    for x, y in points:
        if west <= x <= east and south <= y <= north:
            run.append((x, y))
        else:
            if len(run) > 1:
                runs.append(run)
            run = []
    if len(run) > 1:
        runs.append(run)
    return runs


def rounded(points: list) -> list[list[float]]:
    """Points rounded to :data:`DIGITS`, without repeats."""
    out: list[list[float]] = []
    for x, y in points:
        point = [round(x, DIGITS), round(y, DIGITS)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def area(ring: list) -> float:
    """The signed area of a closed ring (shoelace), in square degrees."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring)) / 2


def centre(ring: list) -> list[float]:
    """A point inside a closed ring: the middle of its widest span at its centroid's latitude
    (a centroid alone can fall outside a curved country)."""
    weight = area(ring) * 6 or 1.0
    lat = sum((y1 + y2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in pairwise(ring)) / weight
    crossings = sorted(
        x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
        for (x1, y1), (x2, y2) in pairwise(ring)
        if (y1 <= lat < y2) or (y2 <= lat < y1)
    )
    spans = list(zip(crossings[::2], crossings[1::2], strict=False))
    if not spans:
        return [round(ring[0][0], DIGITS), round(ring[0][1], DIGITS)]
    west, east = max(spans, key=lambda span: span[1] - span[0])
    return [round((west + east) / 2, DIGITS), round(lat, DIGITS)]


def alpha_2(numeric: str | None, name: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a numeric one (None when pycountry has none); Kosovo,
    which has no ISO number, gets XK as netmap's codes give it."""
    import pycountry

    if name == "Kosovo":
        return "XK"
    found = pycountry.countries.get(numeric=numeric) if numeric else None
    return found.alpha_2 if found is not None else None


def polygons_of(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def main(source: Path) -> None:
    topology = json.loads(source.read_text(encoding="utf-8"))
    arcs = [simplify(arc, TOLERANCE) for arc in decode_arcs(topology)]
    countries = topology["objects"]["countries"]["geometries"]
    used: dict[int, int] = {}
    features = []
    for country in countries:
        shapes = []
        for polygon in polygons_of(country):
            rings = [rounded(clip_ring(ring_points(ring, arcs), BOX)) for ring in polygon]
            if len(rings[0]) < 3:  # the outer ring lies outside the box: so do its holes
                continue
            shapes.append([ring + ring[:1] for ring in rings if len(ring) >= 3])
        if not shapes:
            continue
        for polygon in polygons_of(country):
            for ring in polygon:
                for index in ring:
                    key = index if index >= 0 else ~index
                    used[key] = used.get(key, 0) + 1
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "kind": "land",
                    "name": country["properties"]["name"],
                    "iso_n3": country.get("id"),
                    "iso_a2": alpha_2(country.get("id"), country["properties"]["name"]),
                    "centre": centre(
                        max((shape[0] for shape in shapes), key=lambda r: abs(area(r)))
                    ),
                },
                "geometry": {"type": "MultiPolygon", "coordinates": shapes},
            }
        )
    for kind, shared in (("border", True), ("coast", False)):
        lines = [
            rounded(run)
            for index, count in sorted(used.items())
            if (count > 1) == shared
            for run in clip_line(arcs[index], BOX)
        ]
        features.append(
            {
                "type": "Feature",
                "properties": {"kind": kind},
                "geometry": {
                    "type": "MultiLineString",
                    "coordinates": [line for line in lines if len(line) > 1],
                },
            }
        )
    collection = {
        "type": "FeatureCollection",
        "source": (
            "Natural Earth 1:50m admin-0 countries, version 4.1.0 (public domain), via the "
            "npm package world-atlas 2.0.2 (ISC); clipped to "
            f"{BOX} (west, south, east, north), simplified to {TOLERANCE} degrees"
        ),
        "features": features,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(collection, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e3:.0f} kB, {len(features) - 2} countries)")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
