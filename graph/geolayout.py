"""Positions for a route map: countries at their longitude and latitude, every other node near
the places it belongs to, without covering a node placed before it.

The whole layout is computed here, so the page needs no physics to settle: even the full corpus
opens at once, and the same graph always gets the same picture.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("KAZ", kind="country", lat=48.0, lon=68.0)
>>> g.add_node("commodity:heroin", kind="commodity")
>>> g.add_edge("commodity:heroin", "KAZ", weight=1)
0
>>> pos = geo_positions(g)
>>> pos["KAZ"]
(680.0, -480.0)
>>> distance(pos["KAZ"], pos["commodity:heroin"]) >= SPACING
True
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

#: A position on the canvas, in pixels (x to the east, y to the south).
Point = tuple[float, float]

#: Pixels per degree of longitude or latitude (an equirectangular projection).
SCALE = 10.0
#: Pixels per degree of arc near the focus of a focused map.
FOCUS_SCALE = 24.0
#: On a focused map, distances up to about this many degrees of arc stay nearly true; beyond,
#: they grow logarithmically, so that neighbours do not crowd and far places still fit.
KNEE = 12.0
#: The least distance, in pixels, a placed node keeps from every node placed before it
#: (twice that sideways, where labels need the room).
SPACING = 30.0
#: The order in which node kinds are placed: places first, then what is tied to them.
KIND_ORDER: tuple[str, ...] = (
    "country",
    "region",
    "place",
    "subnational",
    "checkpoint",
    "route",
    "actor",
    "commodity",
)

_GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))
_MAX_TRIES = 20_000


def project(lat: float, lon: float, scale: float = SCALE) -> Point:
    """The canvas position of a latitude and longitude on a world map (north up).

    >>> project(48.0, 68.0)
    (680.0, -480.0)
    """
    return (lon * scale, -lat * scale)


def arc_and_bearing(frm: tuple[float, float], to: tuple[float, float]) -> tuple[float, float]:
    """Great-circle distance (degrees of arc) and initial bearing (radians, clockwise from north).

    >>> [round(x, 3) for x in arc_and_bearing((0.0, 0.0), (0.0, 90.0))]
    [90.0, 1.571]
    """
    p1, p2 = math.radians(frm[0]), math.radians(to[0])
    dl = math.radians(to[1] - frm[1])
    cos_d = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    arc = math.degrees(math.acos(max(-1.0, min(1.0, cos_d))))
    y = math.sin(dl) * math.cos(p2)
    x = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return arc, math.atan2(y, x)


@dataclass(frozen=True)
class Projection:
    """Latitude and longitude to canvas: a world map, or a map centred on a focus that keeps
    each place's direction from the focus and compresses its distance logarithmically.

    >>> Projection()(48.0, 68.0)
    (680.0, -480.0)
    >>> focused = Projection(scale=10.0, focus=(0.0, 0.0), knee=10.0)
    >>> x, y = focused(0.0, 90.0)
    >>> round(x, 1), round(y, 1), round(focused.radius(90.0), 1)
    (230.3, -0.0, 230.3)
    """

    scale: float = SCALE
    focus: tuple[float, float] | None = None
    knee: float = KNEE

    def radius(self, arc: float) -> float:
        """Canvas distance from the focus of a place ``arc`` degrees of arc away."""
        return self.scale * self.knee * math.log1p(arc / self.knee)

    def __call__(self, lat: float, lon: float) -> Point:
        if self.focus is None:
            return project(lat, lon, self.scale)
        arc, bearing = arc_and_bearing(self.focus, (lat, lon))
        r = self.radius(arc)
        return (round(r * math.sin(bearing), 3), round(-r * math.cos(bearing), 3))


def distance(a: Point, b: Point) -> float:
    """Euclidean distance between two canvas points."""
    return math.hypot(a[0] - b[0], a[1] - b[1])


def spherical_mean(coords: Iterable[tuple[float, float]]) -> tuple[float, float] | None:
    """The mean (latitude, longitude) of points on the sphere; None for no points.

    Averaging on the sphere keeps groups that straddle the date line in the right place.

    >>> spherical_mean([(0.0, 170.0), (0.0, -170.0)])
    (0.0, 180.0)
    >>> spherical_mean([])
    """
    x = y = z = 0.0
    n = 0
    for lat, lon in coords:
        phi, lam = math.radians(lat), math.radians(lon)
        x += math.cos(phi) * math.cos(lam)
        y += math.cos(phi) * math.sin(lam)
        z += math.sin(phi)
        n += 1
    if n == 0 or math.hypot(x, y, z) < 1e-9:
        return None
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    lon = math.degrees(math.atan2(y, x))
    return (round(lat, 6), round(lon, 6))


def clear_of(a: Point, b: Point, spacing: float) -> bool:
    """Whether two nodes' labels keep clear of each other: ``spacing`` apart vertically, or
    twice that horizontally (labels are wider than tall), or an ellipse between the two.

    >>> clear_of((0.0, 0.0), (40.0, 0.0), 26.0), clear_of((0.0, 0.0), (0.0, 30.0), 26.0)
    (False, True)
    """
    return (a[0] - b[0]) ** 2 / (2.0 * spacing) ** 2 + (a[1] - b[1]) ** 2 / spacing**2 >= 1.0


class _Grid:
    """Placed points bucketed by cells of 2 x 1 spacings, to find near points quickly.

    A point may carry a pad (the radius of a big node) that others keep clear of too.
    """

    def __init__(self, spacing: float) -> None:
        self.spacing = spacing
        self.cells: dict[tuple[int, int], list[tuple[Point, float]]] = defaultdict(list)
        self.max_pad = 0.0

    def _cell(self, p: Point) -> tuple[int, int]:
        return (math.floor(p[0] / (2.0 * self.spacing)), math.floor(p[1] / self.spacing))

    def add(self, p: Point, pad: float = 0.0) -> None:
        self.cells[self._cell(p)].append((p, pad))
        self.max_pad = max(self.max_pad, pad)

    def is_free(self, p: Point) -> bool:
        cx, cy = self._cell(p)
        reach = 1 + math.ceil(self.max_pad / self.spacing)
        return all(
            clear_of(p, q, self.spacing + pad)
            for dx in range(-reach, reach + 1)
            for dy in range(-reach, reach + 1)
            for q, pad in self.cells.get((cx + dx, cy + dy), ())
        )

    def free_point_near(self, anchor: Point) -> Point:
        """The first point of a golden-angle spiral around ``anchor`` that is free."""
        step = self.spacing * 0.6
        candidate = anchor
        for k in range(_MAX_TRIES):
            r, a = step * math.sqrt(k), k * _GOLDEN_ANGLE
            x, y = anchor[0] + 1.6 * r * math.cos(a), anchor[1] + r * math.sin(a)
            candidate = (round(x, 2), round(y, 2))
            if self.is_free(candidate):
                break
        return candidate


def spread(
    fixed: Mapping[str, Point], anchored: Sequence[tuple[str, Point]], spacing: float = SPACING
) -> dict[str, Point]:
    """Fixed points as given; each anchored node, in order, at the free point nearest its anchor.

    >>> pos = spread({"a": (0.0, 0.0)}, [("b", (0.0, 0.0)), ("c", (0.0, 0.0))], spacing=10.0)
    >>> pos["a"], min(distance(pos["b"], pos["a"]), distance(pos["c"], pos["b"])) >= 10.0
    ((0.0, 0.0), True)
    """
    grid = _Grid(spacing)
    placed = dict(fixed)
    for p in fixed.values():
        grid.add(p)
    for node, anchor in anchored:
        placed[node] = grid.free_point_near(anchor)
        grid.add(placed[node])
    return placed


def _rank(nxg: nx.MultiDiGraph, node: str) -> tuple[int, str]:
    kind = nxg.nodes[node].get("kind", "place")
    return (KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER), node)


def _neighbour_mean(nxg: nx.MultiDiGraph, node: str, placed: Mapping[str, Point]) -> Point | None:
    """Mean position of the placed neighbours of a node, weighted by the edges' weights."""
    sx = sy = total = 0.0
    for u, v, data in [*nxg.out_edges(node, data=True), *nxg.in_edges(node, data=True)]:
        other = v if u == node else u
        if other in placed:
            w = float(data.get("weight", 1) or 1)
            sx += w * placed[other][0]
            sy += w * placed[other][1]
            total += w
    return (sx / total, sy / total) if total else None


def geo_positions(
    nxg: nx.MultiDiGraph,
    centres: Mapping[str, tuple[float, float]] | None = None,
    *,
    projection: Projection | None = None,
    spacing: float = SPACING,
    pads: Mapping[str, float] | None = None,
) -> dict[str, Point]:
    """Canvas positions of every node of a flow projection.

    Countries with a ``lat``/``lon`` sit exactly at their ``projection`` (they may
    touch each other, as small neighbours do on a map). Every other node is anchored at its own
    ``lat``/``lon``, else at its entry in ``centres`` (a region's centre, say), else at the
    weighted mean of its neighbours already placed, and then moved along a spiral to the
    nearest free point; ``pads`` gives big nodes extra room (their radius).
    """
    centres = centres or {}
    proj = projection or Projection()
    fixed: dict[str, Point] = {}
    own: dict[str, Point] = {}
    for node, data in nxg.nodes(data=True):
        if "lat" in data and "lon" in data:
            point = proj(float(data["lat"]), float(data["lon"]))
            (fixed if data.get("kind") == "country" else own)[node] = point
        elif node in centres:
            own[node] = proj(*centres[node])
    pads = pads or {}
    grid = _Grid(spacing)
    placed = dict(fixed)
    for node, p in fixed.items():
        grid.add(p, pads.get(node, 0.0))
    pending = sorted((n for n in nxg.nodes if n not in fixed), key=lambda n: _rank(nxg, n))
    while pending:
        waiting = []
        for node in pending:
            anchor = own.get(node) or _neighbour_mean(nxg, node, placed)
            if anchor is None:
                waiting.append(node)
                continue
            placed[node] = grid.free_point_near(anchor)
            grid.add(placed[node], pads.get(node, 0.0))
        if len(waiting) == len(pending):  # nothing placed near them: start from the origin
            own.update({node: (0.0, 0.0) for node in waiting[:1]})
        pending = waiting
    return placed
