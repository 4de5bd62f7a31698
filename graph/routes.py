"""Routes of one market from place to place, stitched from the flow legs that documents state.

A route is a chain of legs (A → B → C), each leg stated by at least one flow of the market, in
any document; the k shortest chains come first. For a leg between two countries that share no
land border, the shortest chains of bordering countries that could carry it are listed as
"implied transit": inferred from the reference borders in the graph, never stated.

>>> from graph.rdf import build_graph
>>> from graph.records import Document, DocumentFlows, Flow
>>> text = "Heroin moves from Afghanistan via Kazakhstan to Russia."
>>> flow = Flow("heroin-trade", "heroin", ["AFG"], ["KAZ"], ["RUS"], evidence=text)
>>> g = build_graph([Document("d.txt", "report", text)], [], [DocumentFlows("d.txt", None, [flow])])
>>> [route] = find_routes(g, "heroin", "Afghanistan", "Russia")
>>> route.places, route.legs[0].statements[0].document
(('AFG', 'KAZ', 'RUS'), 'd.txt')
>>> route.legs[0].implied.chains
(('AFG', 'CHN', 'KAZ'), ('AFG', 'TKM', 'KAZ'), ('AFG', 'UZB', 'KAZ'))
>>> route.legs[1].borders, route.legs[1].implied is None
(True, True)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice, pairwise
from typing import Any

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import PROV

from graph.errors import CrimegraphError
from graph.namespaces import CG
from graph.network import FlowView, flow_edges, to_networkx
from graph.query import market_slug, place_code

#: How many candidate chains of equal length are looked at to rank ties (by documents).
_TIE_WINDOW = 200


@dataclass(frozen=True)
class Statement:
    """A passage of a document that states a flow, and so each leg of it."""

    flow: str
    market: str
    commodity: str
    evidence: str
    document: str
    hedge: str | None = None
    checkpoints: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImpliedTransit:
    """The shortest chains of land neighbours between two countries that share no border.

    Inferred from the reference borders, never stated by a document. ``chains`` run from the
    source to the target, in alphabetical order, cut at the limit asked for; ``total`` counts
    all the shortest chains. No chain at all means there is no land path.
    """

    source: str
    target: str
    chains: tuple[tuple[str, ...], ...]
    total: int
    inferred: bool = True

    @property
    def countries(self) -> tuple[str, ...]:
        """The countries between source and target on any of the chains listed."""
        return tuple(sorted({c for chain in self.chains for c in chain[1:-1]}))


@dataclass(frozen=True)
class RouteLeg:
    """One step of a route and the passages that state it."""

    source: str
    target: str
    statements: tuple[Statement, ...]
    #: Whether the two places share a land border; None when one of them is a region.
    borders: bool | None
    #: For two countries without a common border: the chains that could carry the leg.
    implied: ImpliedTransit | None = None

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(sorted({s.document for s in self.statements}))


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


# --- the leg graph ------------------------------------------------------------------------------


def _statements(g: Graph, flow: str, attrs: dict[str, Any]) -> list[Statement]:
    """One statement per passage of the flow, with the flow's market, commodity and checkpoints."""
    out = []
    for passage in g.objects(URIRef(flow), CG.evidence):
        document = g.value(g.value(passage, PROV.wasQuotedFrom), CG.fileName)
        hedge = g.value(passage, CG.hedge)
        out.append(
            Statement(
                flow=flow,
                market=str(attrs["market"]),
                commodity=str(attrs["commodity"]),
                evidence=str(g.value(passage, CG.text) or ""),
                document=str(document or ""),
                hedge=str(hedge) if hedge is not None else None,
                checkpoints=tuple(str(c) for c in attrs["checkpoints"]),
            )
        )
    return sorted(out, key=lambda s: (s.market, s.document, s.evidence, s.flow))


def leg_graph(g: Graph, view: FlowView | None = None) -> nx.DiGraph:
    """The flow legs of ``g`` as a DiGraph of places: one edge per (from, to), all flows merged.

    Each edge holds ``statements`` (the passages that state the leg) and ``weight`` (the
    number of distinct documents); nodes keep the projection's ``kind`` and ``label``.
    ``view`` filters flows by market, country or document as :func:`graph.network.to_networkx`.
    """
    projection = to_networkx(g, view)
    out = nx.DiGraph()
    cache: dict[str, list[Statement]] = {}
    for u, v, _, attrs in sorted(flow_edges(projection), key=lambda e: (e[0], e[1], e[2])):
        for node in (u, v):
            if node not in out:
                data = projection.nodes[node]
                out.add_node(node, kind=data["kind"], label=data["label"])
        flow = str(attrs["flow"])
        if flow not in cache:
            cache[flow] = _statements(g, flow, attrs)
        if not out.has_edge(u, v):
            out.add_edge(u, v, statements=[], flows=set())
        edge = out.edges[u, v]
        if flow not in edge["flows"]:  # a flow states a leg once, however often it repeats it
            edge["flows"].add(flow)
            edge["statements"].extend(cache[flow])
    for _, _, data in out.edges(data=True):
        data["statements"].sort(key=lambda s: (s.market, s.document, s.evidence, s.flow))
        data["weight"] = len({s.document for s in data["statements"]})
        del data["flows"]
    return out


def land_borders(g: Graph) -> nx.Graph:
    """Countries and their land borders, as the reference data in the graph (``cg:borders``)."""
    borders = nx.Graph()
    pairs = []
    for a, b in g.subject_objects(CG.borders):
        code_a, code_b = g.value(a, CG.iso3), g.value(b, CG.iso3)
        if code_a is not None and code_b is not None:
            pairs.append(tuple(sorted((str(code_a), str(code_b)))))
    borders.add_edges_from(sorted(set(pairs)))
    return borders


# --- implied transit ----------------------------------------------------------------------------


def implied_transit(
    borders: nx.Graph, source: str, target: str, limit: int = 10
) -> ImpliedTransit | None:
    """The shortest chains of bordering countries from ``source`` to ``target``.

    None when the two share a border (nothing is implied) or are the same country.

    >>> borders = nx.Graph([("AFG", "TKM"), ("AFG", "UZB"), ("TKM", "KAZ"), ("UZB", "KAZ")])
    >>> implied_transit(borders, "AFG", "KAZ").chains
    (('AFG', 'TKM', 'KAZ'), ('AFG', 'UZB', 'KAZ'))
    >>> implied_transit(borders, "AFG", "USA").total
    0
    """
    if source == target or borders.has_edge(source, target):
        return None
    if source not in borders or target not in borders:
        return ImpliedTransit(source, target, (), 0)
    distance = nx.single_source_shortest_path_length(borders, target)
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


# --- routes -------------------------------------------------------------------------------------


def _passes(path: Sequence[str], via: Sequence[str]) -> bool:
    """True when the path passes every ``via`` place, in that order, between its two ends."""
    inner = iter(path[1:-1])
    return all(any(place == stop for place in inner) for stop in via)


def _candidates(
    legs: nx.DiGraph, source: str, target: str, via: Sequence[str], max_hops: int, k: int
) -> list[list[str]]:
    """Up to k simple paths within ``max_hops``, shortest first; ties by documents, then name."""
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

    def documents(path: list[str]) -> int:
        return len({s.document for u, v in pairwise(path) for s in legs[u][v]["statements"]})

    found.sort(key=lambda p: (len(p), -documents(p), p))
    return found[:k]


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
) -> list[Route]:
    """The k shortest routes of ``market`` from ``source`` to ``target`` (codes or names).

    ``via`` places must be passed in order; ``chains`` caps the implied-transit chains listed
    per leg; ``countries_only`` keeps regions ("Central Asia") out of the stops between the two
    ends. No route within ``max_hops`` gives an empty list.
    """
    if max_hops < 1 or k < 1 or chains < 0:
        raise CrimegraphError("max-hops and k must be at least 1, chains at least 0")
    slug = market_slug(market)
    start, end = place_code(source), place_code(target)
    stops = [place_code(v) for v in via]
    if start == end:
        raise CrimegraphError(f"a route needs two different places (both are {start})")
    legs = leg_graph(g, FlowView(markets=frozenset({slug})))
    if countries_only:
        ends = {start, end}
        legs.remove_nodes_from(
            [n for n, kind in legs.nodes(data="kind") if kind != "country" and n not in ends]
        )
    if any(p not in legs for p in (start, end, *stops)):
        return []
    borders = land_borders(g)
    routes = []
    for path in _candidates(legs, start, end, stops, max_hops, k):
        steps = tuple(_route_leg(legs, borders, u, v, chains) for u, v in pairwise(path))
        routes.append(Route(slug, tuple(path), steps))
    return routes


def _route_leg(legs: nx.DiGraph, borders: nx.Graph, u: str, v: str, chains: int) -> RouteLeg:
    statements = tuple(legs[u][v]["statements"])
    if legs.nodes[u]["kind"] != "country" or legs.nodes[v]["kind"] != "country":
        return RouteLeg(u, v, statements, None)
    implied = implied_transit(borders, u, v, chains)
    return RouteLeg(u, v, statements, implied is None, implied)
