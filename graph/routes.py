"""Routes of one market from place to place, stitched from the flow legs that documents state.

A route is a chain of legs (A → B → C), each leg stated by at least one flow of the market, in
the direction the flow states it: no leg is ever reversed to make a chain. The k shortest chains
come first (ties: more sources first). For a drug market, legs stated only as drugs in general
join unless ``include_generic`` is False, and are marked generic; precursor flows never join a
drug's routes (``precursors=True`` routes the precursor flows instead). For a leg between two
countries that share no land border, :mod:`graph.transit` suggests how it may run (direct by
sea or air first, then chains through countries the graph states the market's flows through),
each suggestion with a reason and a confidence, inferred, never stated.

>>> from graph.rdf import build_graph
>>> from graph.records import Document, DocumentFlows, Flow
>>> text = "Heroin moves from Afghanistan via Kazakhstan to Russia."
>>> flow = Flow("heroin-trade", "heroin", ["AFG"], ["KAZ"], ["RUS"], evidence=text)
>>> g = build_graph([Document("d.txt", "report", text)], [], [DocumentFlows("d.txt", None, [flow])])
>>> [route] = find_routes(g, "heroin", "Afghanistan", "Russia")
>>> route.places, route.legs[0].statements[0].document
(('AFG', 'KAZ', 'RUS'), 'd.txt')
>>> [s.kind for s in route.legs[0].implied.suggestions]
['direct']
>>> route.legs[1].borders, route.legs[1].implied is None
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import networkx as nx
from rdflib import Graph

from graph.errors import CrimegraphError
from graph.hubs import transit_tallies
from graph.legs import GENERIC_DRUGS, Statement, is_drug_market, land_borders, leg_graph, sources
from graph.network import FlowView
from graph.query import market_slug, place_code
from graph.transit import ImpliedTransit, Point, country_points, suggest

__all__ = [
    "ImpliedTransit",
    "Route",
    "RouteLeg",
    "Statement",
    "find_routes",
    "land_borders",
    "leg_graph",
]

#: How many candidate chains of equal length are looked at to rank ties (by sources).
_TIE_WINDOW = 200


@dataclass(frozen=True)
class RouteLeg:
    """One step of a route and the passages that state it."""

    source: str
    target: str
    statements: tuple[Statement, ...]
    #: Whether the two places share a land border; None when one of them is a region.
    borders: bool | None
    #: For two countries without a common border: how the leg may run (inferred, never stated).
    implied: ImpliedTransit | None = None

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(sorted({s.document for s in self.statements}))

    @property
    def sources(self) -> int:
        """Distinct sources behind the leg: passages, counted once per source series."""
        return sources(self.statements)

    @property
    def generic(self) -> bool:
        """True when every statement of the leg names drugs in general, not the market."""
        return all(s.generic for s in self.statements)


@dataclass(frozen=True)
class Route:
    """A chain of legs of one market from a place to another."""

    market: str
    places: tuple[str, ...]
    legs: tuple[RouteLeg, ...]

    @property
    def hops(self) -> int:
        return len(self.legs)

    @property
    def documents(self) -> tuple[str, ...]:
        """Every document that states one of the legs."""
        return tuple(sorted({d for leg in self.legs for d in leg.documents}))

    @property
    def sources(self) -> int:
        """Distinct sources behind the legs (passages, once per series)."""
        return sources([s for leg in self.legs for s in leg.statements])


# --- routes -------------------------------------------------------------------------------------


def _passes(path: Sequence[str], via: Sequence[str]) -> bool:
    """True when the path passes every ``via`` place, in that order, between its two ends."""
    inner = iter(path[1:-1])
    return all(any(place == stop for place in inner) for stop in via)


def _candidates(
    legs: nx.DiGraph, source: str, target: str, via: Sequence[str], max_hops: int, k: int
) -> list[list[str]]:
    """Up to k simple paths within ``max_hops``, shortest first; ties by sources, then name."""
    found: list[list[str]] = []
    if not nx.has_path(legs, source, target):
        return found
    for examined, path in enumerate(nx.shortest_simple_paths(legs, source, target), start=1):
        hops = len(path) - 1
        if hops > max_hops:
            break
        if len(found) >= k and (hops > len(found[k - 1]) - 1 or examined > _TIE_WINDOW * k):
            break
        if _passes(path, via):
            found.append(path)

    def weight(path: list[str]) -> int:
        return sources([s for u, v in pairwise(path) for s in legs[u][v]["statements"]])

    found.sort(key=lambda p: (len(p), -weight(p), p))
    return found[:k]


@dataclass(frozen=True)
class _Context:
    """What implied transit needs: borders, country centres, the market's hubs and legs."""

    borders: nx.Graph
    where: dict[str, Point]
    support: dict[str, int]
    stated: set[tuple[str, str]]
    limit: int

    def implied(self, u: str, v: str) -> ImpliedTransit | None:
        return suggest(self.borders, u, v, self.where, self.support, self.stated, self.limit)


def transit_context(
    g: Graph, legs: nx.DiGraph, market: str | None, include_generic: bool, limit: int
) -> _Context:
    """The context of implied transit for one market (every market's hubs when None)."""
    support: dict[str, int] = {}
    if market is not None:
        hubs = transit_tallies(g, market, include_generic=include_generic)
        support = {code: hub.sources for code, hub in hubs.items()}
    else:
        markets = {s.market for _, _, d in legs.edges(data=True) for s in d["statements"]}
        for m in sorted(markets):
            for code, hub in transit_tallies(g, m, include_generic=False).items():
                support[code] = support.get(code, 0) + hub.sources
    return _Context(land_borders(g), country_points(g), support, set(legs.edges), limit)


def find_routes(
    g: Graph,
    market: str,
    source: str,
    target: str,
    *,
    via: Iterable[str] = (),
    max_hops: int = 6,
    k: int = 5,
    chains: int = 10,
    countries_only: bool = False,
    include_generic: bool | None = None,
    precursors: bool = False,
) -> list[Route]:
    """The k shortest routes of ``market`` from ``source`` to ``target`` (codes or names).

    ``via`` places must be passed in order; ``chains`` caps the implied chains listed per leg;
    ``countries_only`` keeps regions ("Central Asia") out of the stops between the two ends.
    ``include_generic`` (default: True for a drug market) adds legs stated as drugs in general;
    ``precursors`` routes the market's precursor flows instead of the market's own. No route
    within ``max_hops`` gives an empty list.
    """
    if max_hops < 1 or k < 1 or chains < 0:
        raise CrimegraphError("max-hops and k must be at least 1, chains at least 0")
    slug = market_slug(market)
    generic = is_drug_market(slug) if include_generic is None else include_generic
    if generic and not is_drug_market(slug):
        raise CrimegraphError(f"--include-generic is for the drug markets, not {slug}")
    if precursors and not (is_drug_market(slug) or slug == GENERIC_DRUGS):
        raise CrimegraphError(f"--precursors is for the drug markets, not {slug}")
    start, end = place_code(source), place_code(target)
    stops = [place_code(v) for v in via]
    if start == end:
        raise CrimegraphError(f"a route needs two different places (both are {start})")
    legs = leg_graph(
        g,
        FlowView(markets=frozenset({slug})),
        include_generic=generic,
        precursors="only" if precursors else "exclude",
    )
    if countries_only:
        ends = {start, end}
        legs.remove_nodes_from(
            [n for n, kind in legs.nodes(data="kind") if kind != "country" and n not in ends]
        )
    if any(p not in legs for p in (start, end, *stops)):
        return []
    context = transit_context(g, legs, slug, generic, chains)
    routes = []
    for path in _candidates(legs, start, end, stops, max_hops, k):
        steps = tuple(_route_leg(legs, context, u, v) for u, v in pairwise(path))
        routes.append(Route(slug, tuple(path), steps))
    return routes


def _route_leg(legs: nx.DiGraph, context: _Context, u: str, v: str) -> RouteLeg:
    statements = tuple(legs[u][v]["statements"])
    if legs.nodes[u]["kind"] != "country" or legs.nodes[v]["kind"] != "country":
        return RouteLeg(u, v, statements, None)
    implied = context.implied(u, v)
    return RouteLeg(u, v, statements, implied is None, implied)
