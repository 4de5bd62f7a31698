"""Country outlines for the map: Natural Earth 110m (public domain) as world-atlas ships it.

Reads ``data/reference/countries-110m.json`` (TopoJSON), keys each country by its ISO3 code,
and gives what the page draws under the network: every outline projected to canvas pixels,
lines of latitude and longitude, and a representative point inside each country for its node
(a hand anchor from ``map-anchors.csv`` first: Russia west of the Urals, where its people and
its flows are).

>>> lat, lon = representative_point("KAZ", 48.0, 68.0)
>>> (lat, lon), contains("KAZ", lat, lon)
((48.0, 68.0), True)
>>> representative_point("RUS", 61.5, 105.3)   # countryinfo's point is in Siberia
(56.0, 44.0)
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from graph.errors import CrimegraphError
from graph.geolayout import arc_and_bearing
from graph.places import reference_dir
from graph.refcsv import read_reference

#: The vendored Natural Earth 110m country outlines (world-atlas 2.0.2, TopoJSON).
OUTLINES_FILE = "countries-110m.json"
#: Outlines left out of the map: Antarctica has no flows and takes a fifth of the height.
LEFT_OUT = frozenset({"ATA"})
#: On a focused map, a ring with a point farther than this many degrees of arc from the focus
#: is left out: near the antipode the projection folds, and the ring would cross the map.
MAX_FOCUS_ARC = 160.0

#: A ring of (longitude, latitude) points; a polygon is its outer ring and its holes.
Ring = list[tuple[float, float]]
Polygon = list[Ring]
Project = Callable[[float, float], tuple[float, float]]


@dataclass(frozen=True)
class Outline:
    """One country's polygons, in degrees."""

    iso3: str
    name: str
    polygons: list[Polygon]


def _decode_arcs(topology: dict[str, object]) -> list[Ring]:
    """The topology's arcs as absolute (lon, lat) points (quantised, delta-encoded in the file)."""
    transform = topology.get("transform")
    if not isinstance(transform, dict):
        raise CrimegraphError(f"{OUTLINES_FILE}: not a quantised TopoJSON topology")
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    arcs = []
    for arc in topology["arcs"]:  # type: ignore[attr-defined]
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * sx + tx, 4), round(y * sy + ty, 4)))
        arcs.append(points)
    return arcs


def _ring(arcs: list[Ring], indexes: list[int]) -> Ring:
    """A ring from arc indexes (``~i`` is arc i reversed); shared end points written once."""
    points: Ring = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _iso3_by_numeric() -> dict[str, str]:
    by_numeric = {}
    for row in read_reference("countries.csv", ("iso3",)):
        if row.get("numeric") and row.get("status") == "current":
            by_numeric[row["numeric"].zfill(3)] = row["iso3"]
    return by_numeric


@functools.cache
def outlines() -> dict[str, Outline]:
    """Every country outline of the basemap by ISO3 code (parts without a code joined to the
    country ``basemap-names.csv`` names)."""
    path = reference_dir() / OUTLINES_FILE
    try:
        topology = json.loads(path.read_text(encoding="utf-8"))
        geometries = topology["objects"]["countries"]["geometries"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CrimegraphError(f"{path}: cannot read the basemap ({exc})") from exc
    arcs = _decode_arcs(topology)
    by_numeric = _iso3_by_numeric()
    by_name = {r["name"]: r["iso3"] for r in read_reference("basemap-names.csv", ("name", "iso3"))}
    found: dict[str, Outline] = {}
    for geometry in geometries:
        name = str(geometry.get("properties", {}).get("name", ""))
        iso3 = by_numeric.get(str(geometry.get("id", ""))) or by_name.get(name)
        if iso3 is None:
            raise CrimegraphError(
                f"{path}: no ISO3 code for {name!r} (add it to basemap-names.csv)"
            )
        if iso3 in LEFT_OUT:
            continue
        parts = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        polygons = [[_ring(arcs, ring) for ring in polygon] for polygon in parts]
        if iso3 in found:  # a part the file keeps apart (Northern Cyprus, Somaliland)
            polygons = found[iso3].polygons + polygons
            name = found[iso3].name
        found[iso3] = Outline(iso3, name, polygons)
    return found


# --- points inside countries -----------------------------------------------------------------


def _in_ring(ring: Ring, lon: float, lat: float) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _in_polygon(polygon: Polygon, lon: float, lat: float) -> bool:
    return _in_ring(polygon[0], lon, lat) and not any(_in_ring(h, lon, lat) for h in polygon[1:])


def contains(iso3: str, lat: float, lon: float) -> bool:
    """Whether a point lies inside a country's outline (False for a country the map lacks)."""
    outline = outlines().get(iso3)
    return outline is not None and any(_in_polygon(p, lon, lat) for p in outline.polygons)


def _area(ring: Ring) -> float:
    """The ring's area in square degrees, shrunk by the cosine of its latitude (roughly true)."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        total += (x1 * y2 - x2 * y1) * math.cos(math.radians((y1 + y2) / 2))
    return abs(total) / 2


def _edge_distance(polygon: Polygon, lon: float, lat: float) -> float:
    """Distance (degrees, longitude shrunk by latitude) from a point to a polygon's nearest edge."""
    k = math.cos(math.radians(lat))
    best = math.inf
    for ring in polygon:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            ax, ay, bx, by = (x1 - lon) * k, y1 - lat, (x2 - lon) * k, y2 - lat
            dx, dy = bx - ax, by - ay
            t = max(0.0, min(1.0, -(ax * dx + ay * dy) / (dx * dx + dy * dy or 1.0)))
            best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def interior_point(polygon: Polygon) -> tuple[float, float]:
    """(lat, lon) of a point well inside a polygon: of a grid over it, the inside point
    farthest from every edge (a coarse pole of inaccessibility)."""
    ring = polygon[0]
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    best, best_at = -1.0, (sum(lats) / len(lats), sum(lons) / len(lons))
    steps = 24
    for i in range(1, steps):
        for j in range(1, steps):
            lon = min(lons) + (max(lons) - min(lons)) * i / steps
            lat = min(lats) + (max(lats) - min(lats)) * j / steps
            if _in_polygon(polygon, lon, lat):
                d = _edge_distance(polygon, lon, lat)
                if d > best:
                    best, best_at = d, (round(lat, 3), round(lon, 3))
    return best_at


@functools.cache
def _anchors() -> dict[str, tuple[float, float]]:
    rows = read_reference("map-anchors.csv", ("iso3", "lat", "lon", "why"))
    return {r["iso3"]: (float(r["lat"]), float(r["lon"])) for r in rows}


@functools.cache
def representative_point(iso3: str, lat: float, lon: float) -> tuple[float, float]:
    """Where a country's node goes: its hand anchor; else (lat, lon) if inside its outline;
    else a point well inside its largest polygon; (lat, lon) for a country the map lacks."""
    if iso3 in _anchors():
        return _anchors()[iso3]
    outline = outlines().get(iso3)
    if outline is None or contains(iso3, lat, lon):
        return (lat, lon)
    largest = max(outline.polygons, key=lambda p: _area(p[0]))
    lons = [x for x, _ in largest[0]]
    if max(lons) - min(lons) > 180.0:  # cut at the antimeridian (Fiji): keep the given point
        return (lat, lon)
    return interior_point(largest)


# --- what the page draws ---------------------------------------------------------------------


def _flat(points: Iterator[tuple[float, float]]) -> list[float]:
    flat: list[float] = []
    for x, y in points:
        flat += [round(x, 1), round(y, 1)]
    return flat


def _densify(ring: Ring, step: float = 2.0) -> Iterator[tuple[float, float]]:
    """The ring's points with points added every ``step`` degrees along long straight edges
    (a long parallel edge must bend with the projection)."""
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        n = max(1, math.ceil(max(abs(x2 - x1), abs(y2 - y1)) / step))
        for k in range(n):
            yield (x1 + (x2 - x1) * k / n, y1 + (y2 - y1) * k / n)
    if ring:
        yield ring[-1]


def unwrapped(ring: Ring, clamp: bool) -> Ring:
    """A ring that crosses the antimeridian (Russia's Chukotka, Fiji) made continuous: the
    longitudes past it continue beyond ±180; with ``clamp`` they are then held at ±180 (the
    world map's edge), so no edge runs across the whole map.

    >>> unwrapped([(179.0, 1.0), (-179.0, 1.0), (-179.0, 0.0), (179.0, 0.0)], clamp=False)
    [(179.0, 1.0), (181.0, 1.0), (181.0, 0.0), (179.0, 0.0)]
    >>> unwrapped([(179.0, 1.0), (-179.0, 1.0), (-179.0, 0.0), (179.0, 0.0)], clamp=True)
    [(179.0, 1.0), (180.0, 1.0), (180.0, 0.0), (179.0, 0.0)]
    """
    out: Ring = []
    shift = 0.0
    for i, (lon, lat) in enumerate(ring):
        if i and abs(lon + shift - out[-1][0]) > 180.0:
            shift += 360.0 if lon + shift < out[-1][0] else -360.0
        out.append((lon + shift, lat))
    if clamp:
        out = [(max(-180.0, min(180.0, lon)), lat) for lon, lat in out]
    return out


def projected_outlines(
    project: Project, focus: tuple[float, float] | None = None
) -> list[dict[str, Any]]:
    """Each country's rings in canvas pixels: ``{"id": ISO3, "rings": [[x0, y0, x1, y1, …]]}``.

    With a ``focus`` (lat, lon), rings reaching farther than :data:`MAX_FOCUS_ARC` from it are
    left out.
    """
    drawn: list[dict[str, Any]] = []
    for iso3, outline in sorted(outlines().items()):
        rings = []
        for polygon in outline.polygons:
            for ring in polygon:
                if focus is not None and any(
                    arc_and_bearing(focus, (lat, lon))[0] > MAX_FOCUS_ARC for lon, lat in ring
                ):
                    continue
                whole = unwrapped(ring, clamp=focus is None)
                rings.append(_flat(project(lat, lon) for lon, lat in _densify(whole)))
        if rings:
            drawn.append({"id": iso3, "rings": rings})
    return drawn


def sphere(project: Project) -> list[float]:
    """The world's edge on the world map (the ocean), as one closed ring in canvas pixels."""
    west = [(lat, -180.0) for lat in range(-90, 91, 2)]
    east = [(lat, 180.0) for lat in range(90, -91, -2)]
    return _flat(project(lat, lon) for lat, lon in west + east)


def graticule(project: Project, every: int = 30) -> list[list[float]]:
    """Lines of longitude and latitude every ``every`` degrees, and the world's edge, as
    polylines in canvas pixels (for the world map; a focused map draws distance rings)."""
    lines = []
    for lon in range(-180, 181, every):
        lines.append(_flat(project(lat, lon) for lat in range(-90, 91, 2)))
    for lat in range(-90 + every, 90, every):
        lines.append(_flat(project(lat, lon) for lon in range(-180, 181, 2)))
    return lines
