"""``routes`` and ``neighbours`` answered from a build's store, without rdflib or NetworkX.

The same answers as :func:`graph.routes.find_routes` and :func:`graph.neighbours.neighbours`
(the tests compare them, field by field, on the bundled graph), computed on the legs
:mod:`graph.storelegs` reads with SPARQL: k shortest simple paths by increasing length, ties
ranked by documents then name, and implied transit as the shortest chains of land neighbours.
The records mirror those of :mod:`graph.routes` and :mod:`graph.neighbours` field for field, so
the command line prints either alike. This path exists for speed: a routes or neighbours answer
on the bundled graph, process start included, in a fraction of a second.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice, pairwise

from graph.diskstore import OpenGraph
from graph.errors import CrimegraphError
from graph.storelegs import (
    Legs,
    Passage,
    border_checkpoints,
    country_names,
    fill_passages,
    indicator_order,
    read_borders,
    read_legs,
    read_scores,
)

#: How many candidate chains of equal length are looked at to rank ties (as graph.routes).
_TIE_WINDOW = 200

Statement = Passage


@dataclass(frozen=True)
class ImpliedTransit:
    """As :class:`graph.routes.ImpliedTransit`."""

    source: str
    target: str
    chains: tuple[tuple[str, ...], ...]
    total: int
    inferred: bool = True

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(sorted({c for chain in self.chains for c in chain[1:-1]}))


@dataclass(frozen=True)
class RouteLeg:
    """As :class:`graph.routes.RouteLeg`."""

    source: str
    target: str
    statements: tuple[Statement, ...]
    borders: bool | None
    implied: ImpliedTransit | None = None

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(sorted({s.document for s in self.statements}))


@dataclass(frozen=True)
class Route:
    """As :class:`graph.routes.Route`."""

    market: str
    places: tuple[str, ...]
    legs: tuple[RouteLeg, ...]

    @property
    def hops(self) -> int:
        return len(self.legs)

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(sorted({d for leg in self.legs for d in leg.documents}))


def implied_transit(
    borders: dict[str, set[str]], source: str, target: str, limit: int = 10
) -> ImpliedTransit | None:
    """The shortest chains of bordering countries from ``source`` to ``target`` (None when
    they share a border or are one country), as :func:`graph.routes.implied_transit`."""
    if source == target or target in borders.get(source, set()):
        return None
    if source not in borders or target not in borders:
        return ImpliedTransit(source, target, (), 0)
    distance = {target: 0}
    queue = deque([target])
    while queue:
        node = queue.popleft()
        for n in borders[node]:
            if n not in distance:
                distance[n] = distance[node] + 1
                queue.append(n)
    if source not in distance:
        return ImpliedTransit(source, target, (), 0)

    def closer(node: str) -> list[str]:
        return sorted(n for n in borders[node] if distance.get(n) == distance[node] - 1)

    @functools.cache
    def count(node: str) -> int:
        return 1 if node == target else sum(count(n) for n in closer(node))

    def chains(path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        if path[-1] == target:
            yield path
            return
        for n in closer(path[-1]):
            yield from chains((*path, n))

    return ImpliedTransit(source, target, tuple(islice(chains((source,)), limit)), count(source))


def _distances_to(legs: Legs, target: str) -> dict[str, int]:
    distance = {target: 0}
    queue = deque([target])
    while queue:
        node = queue.popleft()
        for n in legs.pred.get(node, ()):
            if n not in distance:
                distance[n] = distance[node] + 1
                queue.append(n)
    return distance


def _paths(
    legs: Legs, distance: dict[str, int], source: str, target: str, hops: int
) -> Iterator[list[str]]:
    """Simple paths of exactly ``hops`` legs, in name order (``distance``: hops to target)."""

    def walk(path: list[str], left: int) -> Iterator[list[str]]:
        node = path[-1]
        if node == target:
            if left == 0:
                yield list(path)
            return
        for n in sorted(legs.succ.get(node, ())):
            if n in path or distance.get(n, hops + 1) > left - 1:
                continue
            path.append(n)
            yield from walk(path, left - 1)
            path.pop()

    yield from walk([source], hops)


def _passes(path: Sequence[str], via: Sequence[str]) -> bool:
    inner = iter(path[1:-1])
    return all(any(place == stop for place in inner) for stop in via)


def _candidates(
    legs: Legs, source: str, target: str, via: Sequence[str], max_hops: int, k: int
) -> list[list[str]]:
    """Up to k simple paths within ``max_hops``, shortest first; ties by documents, then name."""
    found: list[list[str]] = []
    distance = _distances_to(legs, target)
    if source not in distance:
        return found
    examined = 0
    for hops in range(1, max_hops + 1):
        if len(found) >= k:
            break
        for path in _paths(legs, distance, source, target, hops):
            examined += 1
            if len(found) >= k and examined > _TIE_WINDOW * k:
                break
            if _passes(path, via):
                found.append(path)

    def documents(path: list[str]) -> int:
        return len({s.document for u, v in pairwise(path) for s in legs.passages[(u, v)]})

    found.sort(key=lambda p: (len(p), -documents(p), p))
    return found[:k]


def find_routes(
    graph: OpenGraph,
    market: str,
    source: str,
    target: str,
    *,
    via: Sequence[str] = (),
    max_hops: int = 6,
    k: int = 5,
    chains: int = 10,
    countries_only: bool = False,
) -> list[Route]:
    """The k shortest routes of ``market`` (a slug) between two place codes, as
    :func:`graph.routes.find_routes` gives them."""
    if max_hops < 1 or k < 1 or chains < 0:
        raise CrimegraphError("max-hops and k must be at least 1, chains at least 0")
    if source == target:
        raise CrimegraphError(f"a route needs two different places (both are {source})")
    legs = read_legs(graph, markets=frozenset({market}), texts=False)
    if countries_only:
        ends = {source, target}
        legs.remove([n for n, kind in legs.kinds.items() if kind != "country" and n not in ends])
    if any(p not in legs.succ for p in (source, target, *via)):
        return []
    borders = read_borders(graph)
    paths = _candidates(legs, source, target, list(via), max_hops, k)
    fill_passages(graph, legs, sorted({edge for path in paths for edge in pairwise(path)}))
    routes = []
    for path in paths:
        steps = tuple(_route_leg(legs, borders, u, v, chains) for u, v in pairwise(path))
        routes.append(Route(market, tuple(path), steps))
    return routes


def _route_leg(legs: Legs, borders: dict[str, set[str]], u: str, v: str, chains: int) -> RouteLeg:
    statements = tuple(legs.passages[(u, v)])
    if legs.kinds[u] != "country" or legs.kinds[v] != "country":
        return RouteLeg(u, v, statements, None)
    implied = implied_transit(borders, u, v, chains)
    return RouteLeg(u, v, statements, implied is None, implied)


# --- neighbours -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Crossing:
    """As :class:`graph.neighbours.Crossing`."""

    market: str
    source: str
    target: str
    statements: tuple[Statement, ...]

    @property
    def checkpoints(self) -> tuple[str, ...]:
        return tuple(sorted({c for s in self.statements for c in s.checkpoints}))


@dataclass(frozen=True)
class ScorePair:
    """As :class:`graph.neighbours.ScorePair`."""

    indicator: str
    edition: int
    country: float | None
    partner: float | None


@dataclass(frozen=True)
class Neighbour:
    """As :class:`graph.neighbours.Neighbour`."""

    iso3: str
    name: str
    outgoing: tuple[Crossing, ...]
    incoming: tuple[Crossing, ...]
    checkpoints: tuple[str, ...]
    scores: tuple[ScorePair, ...]


@dataclass(frozen=True)
class DistantPartner:
    """As :class:`graph.neighbours.DistantPartner`."""

    iso3: str
    name: str
    outgoing: tuple[Crossing, ...]
    incoming: tuple[Crossing, ...]
    implied: ImpliedTransit


@dataclass(frozen=True)
class NeighbourReport:
    """As :class:`graph.neighbours.NeighbourReport`, with the aggregate indicators' slugs (which
    the command line's summary of scores shows)."""

    iso3: str
    name: str
    neighbours: tuple[Neighbour, ...]
    distant: tuple[DistantPartner, ...]
    aggregates: frozenset[str] = frozenset()

    def neighbour(self, iso3: str) -> Neighbour:
        for n in self.neighbours:
            if n.iso3 == iso3:
                return n
        raise CrimegraphError(f"{iso3} is not a land neighbour of {self.iso3}")


def _crossings(legs: Legs, source: str, target: str) -> tuple[Crossing, ...]:
    if (source, target) not in legs.passages:
        return ()
    by_market: dict[str, list[Statement]] = {}
    for s in legs.passages[(source, target)]:
        by_market.setdefault(s.market, []).append(s)
    return tuple(Crossing(m, source, target, tuple(f)) for m, f in sorted(by_market.items()))


def _score_pairs(
    order: dict[str, int], mine: dict[tuple[str, int], float], theirs: dict[tuple[str, int], float]
) -> tuple[ScorePair, ...]:
    keys = sorted(set(mine) | set(theirs), key=lambda k: (k[1], order.get(k[0], len(order)), k[0]))
    return tuple(ScorePair(k[0], k[1], mine.get(k), theirs.get(k)) for k in keys)


def neighbours(graph: OpenGraph, iso3: str, *, chains: int = 10) -> NeighbourReport:
    """What ties the country ``iso3`` to its land neighbours and distant partners, as
    :func:`graph.neighbours.neighbours` reports it."""
    borders = read_borders(graph)
    near = sorted(borders.get(iso3, ()))
    legs = read_legs(graph, countries=frozenset({iso3}))
    linked = legs.succ.get(iso3, set()) | legs.pred.get(iso3, set())
    partners = sorted(p for p in linked if legs.kinds.get(p) == "country")
    names = country_names(graph, {iso3, *near, *partners})
    scores = read_scores(graph, {iso3, *near})
    slugs, aggregates = indicator_order(graph)
    order = {slug: n for n, slug in enumerate(slugs)}
    found = tuple(
        Neighbour(
            iso3=n,
            name=names.get(n, n),
            outgoing=_crossings(legs, iso3, n),
            incoming=_crossings(legs, n, iso3),
            checkpoints=border_checkpoints(graph, iso3, n),
            scores=_score_pairs(order, scores[iso3], scores[n]),
        )
        for n in near
    )
    distant = []
    for partner in partners:
        if partner in near or partner == iso3:
            continue
        outgoing, incoming = _crossings(legs, iso3, partner), _crossings(legs, partner, iso3)
        source, target = (partner, iso3) if incoming and not outgoing else (iso3, partner)
        implied = implied_transit(borders, source, target, chains)
        if implied is None:
            continue
        distant.append(
            DistantPartner(partner, names.get(partner, partner), outgoing, incoming, implied)
        )
    return NeighbourReport(
        iso3, names.get(iso3, iso3), found, tuple(distant), frozenset(aggregates)
    )
