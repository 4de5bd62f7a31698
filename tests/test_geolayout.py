"""The route-map layout: countries where they are on Earth, nothing else on top of anything."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.geolayout import (
    Box,
    Projection,
    arc_and_bearing,
    geo_positions,
    overlaps,
    spherical_mean,
    spread,
)

lats = st.floats(min_value=-80, max_value=80, allow_nan=False)
lons = st.floats(min_value=-179.9, max_value=179.9, allow_nan=False)
coords = st.tuples(lats, lons)
points = st.tuples(st.floats(-500, 500), st.floats(-500, 500))


@given(fixed=st.lists(points, max_size=15), anchors=st.lists(points, min_size=1, max_size=40))
@settings(max_examples=60, deadline=None)
def test_spread_keeps_every_placed_node_clear_of_those_before_it(
    fixed: list[tuple[float, float]], anchors: list[tuple[float, float]]
) -> None:
    box = Box(24.0, 10.0)
    fixed_nodes = {f"f{i}": p for i, p in enumerate(fixed)}
    placed = spread(fixed_nodes, [(f"a{i}", p) for i, p in enumerate(anchors)], box)
    assert {k: placed[k] for k in fixed_nodes} == fixed_nodes
    order = [f"a{i}" for i in range(len(anchors))]
    for i, node in enumerate(order):
        earlier = [*fixed_nodes.values(), *(placed[n] for n in order[:i])]
        assert not any(overlaps(placed[node], box, q, box) for q in earlier)


@given(point=coords, n=st.integers(1, 5))
def test_the_mean_of_one_place_is_that_place(point: tuple[float, float], n: int) -> None:
    lat, lon = spherical_mean([point] * n) or (math.nan, math.nan)
    assert lat == pytest.approx(point[0], abs=1e-5)
    assert lon == pytest.approx(point[1], abs=1e-5)


@given(focus=coords, place=coords)
def test_a_focused_map_keeps_directions_and_the_order_of_distances(
    focus: tuple[float, float], place: tuple[float, float]
) -> None:
    proj = Projection(scale=10.0, focus=focus)
    assert proj(*focus) == pytest.approx((0.0, 0.0), abs=1e-6)
    arc, bearing = arc_and_bearing(focus, place)
    x, y = proj(*place)
    assert math.hypot(x, y) == pytest.approx(proj.radius(arc), abs=1e-2)
    if 1 < arc < 179:
        turn = (math.atan2(x, -y) - bearing + math.pi) % (2 * math.pi) - math.pi
        assert abs(turn) < 1e-3
    assert proj.radius(arc) <= proj.radius(arc + 1.0)


@pytest.mark.parametrize(
    ("place", "direction"),
    [((60.0, 68.0), "north"), ((30.0, 68.0), "south"), ((48.0, 90.0), "east")],
)
def test_north_is_up_and_east_is_right_around_the_focus(
    place: tuple[float, float], direction: str
) -> None:
    x, y = Projection(focus=(48.0, 68.0))(*place)
    seen = {"north": y < 0 and abs(x) < 1e-6, "south": y > 0 and abs(x) < 1e-6, "east": x > 0}
    assert seen[direction]


def small_flow_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for code, lat, lon in [("AFG", 33.0, 65.0), ("KAZ", 48.0, 68.0), ("RUS", 60.0, 100.0)]:
        g.add_node(code, kind="country", lat=lat, lon=lon)
    g.add_node("central-asia", kind="region")
    for name in ("heroin", "opium", "hashish", "migrants"):
        g.add_node(f"commodity:{name}", kind="commodity")
        g.add_edge(f"commodity:{name}", "KAZ", weight=2)
        g.add_edge(f"commodity:{name}", "AFG", weight=1)
    g.add_edge("AFG", "KAZ", kind="flow", weight=1)
    g.add_edge("KAZ", "central-asia", kind="flow", weight=1)
    return g


def test_geo_positions_pin_countries_and_keep_everything_else_apart() -> None:
    g = small_flow_graph()
    boxes = {n: Box(4.0 * len(n), 12.0) for n in g.nodes}  # longer names, wider labels
    pos = geo_positions(g, {"central-asia": (43.0, 65.0)}, boxes=boxes)
    assert pos["KAZ"] == Projection()(48.0, 68.0)
    assert set(pos) == set(g.nodes)
    movable = [n for n in g.nodes if g.nodes[n]["kind"] != "country"]
    for a, b in itertools.product(movable, g.nodes):
        assert a == b or not overlaps(pos[a], boxes[a], pos[b], boxes[b])
    again = geo_positions(g, {"central-asia": (43.0, 65.0)}, boxes=boxes)
    assert again == pos  # same graph, same picture


def test_a_node_without_a_position_goes_near_its_neighbours() -> None:
    g = small_flow_graph()
    pos = geo_positions(g)
    kaz, afg = pos["KAZ"], pos["AFG"]
    heroin = pos["commodity:heroin"]
    assert math.dist(heroin, kaz) < math.dist(kaz, afg)
