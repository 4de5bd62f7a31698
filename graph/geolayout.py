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
(490.989, -521.149)
>>> overlaps(pos["KAZ"], Box(), pos["commodity:heroin"], Box())
False
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

#: A position on the canvas, in pixels (x to the east, y to the south).
Point = tuple[float, float]

#: Pixels per degree of arc along the equator of the world map (an Equal Earth projection).
SCALE = 10.0
#: Pixels per degree of arc near the focus of a focused map.
FOCUS_SCALE = 24.0
#: On a focused map, distances up to about this many degrees of arc stay nearly true; beyond,
#: they grow logarithmically, so that neighbours do not crowd and far places still fit.
KNEE = 12.0
#: Half the width, in pixels, of the room a node takes by default (its box is half as tall).
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


# Equal Earth (Šavrič, Patterson and Jenny 2018): equal-area, with straight parallels.
_EE = (1.340264, -0.081106, 0.000893, 0.003796)
_EE_M = math.sqrt(3.0) / 2.0


def equal_earth(lat: float, lon: float) -> tuple[float, float]:
    """Equal Earth coordinates of a latitude and longitude on the unit sphere (y to the north).

    >>> [round(v, 4) for v in equal_earth(0.0, 180.0)]
    [2.7066, 0.0]
    """
    a1, a2, a3, a4 = _EE
    theta = math.asin(_EE_M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = (
        2.0
        * math.sqrt(3.0)
        * math.radians(lon)
        * math.cos(theta)
        / (3.0 * (a1 + 3.0 * a2 * t2 + t6 * (7.0 * a3 + 9.0 * a4 * t2)))
    )
    y = theta * (a1 + a2 * t2 + t6 * (a3 + a4 * t2))
    return x, y


def project(lat: float, lon: float, scale: float = SCALE) -> Point:
    """The canvas position of a latitude and longitude on a world map (Equal Earth, north up).

    ``scale`` pixels per degree of arc, so places near the equator and the central meridian
    stand about as far apart as on a map with ``scale`` pixels per degree.

    >>> project(48.0, 68.0)
    (490.989, -521.149)
    """
    radius = scale * 180.0 / math.pi
    x, y = equal_earth(lat, lon)
    return (round(radius * x, 3), round(-radius * y, 3))


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
    (490.989, -521.149)
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


@dataclass(frozen=True)
class Box:
    """The room a node and its label take around the node's position, as half-sizes."""

    half_width: float = SPACING
    half_height: float = SPACING / 2


def overlaps(a: Point, a_box: Box, b: Point, b_box: Box) -> bool:
    """Whether the boxes of two nodes overlap.

    >>> box = Box(20.0, 10.0)
    >>> overlaps((0.0, 0.0), box, (30.0, 0.0), box), overlaps((0.0, 0.0), box, (0.0, 25.0), box)
    (True, False)
    """
    return (
        abs(a[0] - b[0]) < a_box.half_width + b_box.half_width
        and abs(a[1] - b[1]) < a_box.half_height + b_box.half_height
    )


class _Grid:
    """Placed boxes bucketed by square cells, to find the near ones quickly."""

    def __init__(self, cell: float) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[tuple[Point, Box]]] = defaultdict(list)
        self.widest = Box(0.0, 0.0)

    def _index(self, v: float) -> int:
        return math.floor(v / self.cell)

    def add(self, p: Point, box: Box) -> None:
        self.cells[(self._index(p[0]), self._index(p[1]))].append((p, box))
        self.widest = Box(
            max(self.widest.half_width, box.half_width),
            max(self.widest.half_height, box.half_height),
        )

    def is_free(self, p: Point, box: Box) -> bool:
        reach_x = box.half_width + self.widest.half_width
        reach_y = box.half_height + self.widest.half_height
        return not any(
            overlaps(p, box, q, q_box)
            for cx in range(self._index(p[0] - reach_x), self._index(p[0] + reach_x) + 1)
            for cy in range(self._index(p[1] - reach_y), self._index(p[1] + reach_y) + 1)
            for q, q_box in self.cells.get((cx, cy), ())
        )

    def free_point_near(self, anchor: Point, box: Box) -> Point:
        """The first point of a golden-angle spiral around ``anchor`` where ``box`` fits."""
        step = 0.6 * min(box.half_width, box.half_height) * 2
        aspect = box.half_width / box.half_height if box.half_height else 1.0
        candidate = anchor
        for k in range(_MAX_TRIES):
            r, a = step * math.sqrt(k), k * _GOLDEN_ANGLE
            x, y = anchor[0] + aspect * r * math.cos(a), anchor[1] + r * math.sin(a)
            candidate = (round(x, 2), round(y, 2))
            if self.is_free(candidate, box):
                break
        return candidate


def spread(
    fixed: Mapping[str, Point], anchored: Sequence[tuple[str, Point]], box: Box | None = None
) -> dict[str, Point]:
    """Fixed points as given; each anchored node, in order, at the free point nearest its anchor
    (every node taking the same ``box``).

    >>> pos = spread({"a": (0.0, 0.0)}, [("b", (0.0, 0.0)), ("c", (0.0, 0.0))], Box(10.0, 5.0))
    >>> pos["a"], overlaps(pos["b"], Box(10.0, 5.0), pos["a"], Box(10.0, 5.0))
    ((0.0, 0.0), False)
    """
    box = box or Box()
    grid = _Grid(4 * box.half_height)
    placed = dict(fixed)
    for p in fixed.values():
        grid.add(p, box)
    for node, anchor in anchored:
        placed[node] = grid.free_point_near(anchor, box)
        grid.add(placed[node], box)
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
    boxes: Mapping[str, Box] | None = None,
) -> dict[str, Point]:
    """Canvas positions of every node of a flow projection.

    Countries with a ``lat``/``lon`` sit exactly at their ``projection`` (they may
    touch each other, as small neighbours do on a map). Every other node is anchored at its own
    ``lat``/``lon``, else at its entry in ``centres`` (a region's centre, say), else at the
    weighted mean of its neighbours already placed, and then moved along a spiral to the
    nearest point where its box (``boxes``, default :class:`Box`) overlaps no other box.
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
    boxes = boxes or {}
    grid = _Grid(2 * SPACING)
    placed = dict(fixed)
    for node, p in fixed.items():
        grid.add(p, boxes.get(node, Box()))
    pending = sorted((n for n in nxg.nodes if n not in fixed), key=lambda n: _rank(nxg, n))
    while pending:
        waiting = []
        for node in pending:
            anchor = own.get(node) or _neighbour_mean(nxg, node, placed)
            if anchor is None:
                waiting.append(node)
                continue
            box = boxes.get(node, Box())
            placed[node] = grid.free_point_near(anchor, box)
            grid.add(placed[node], box)
        if len(waiting) == len(pending):  # nothing placed near them: start from the origin
            own.update({node: (0.0, 0.0) for node in waiting[:1]})
        pending = waiting
    return placed
