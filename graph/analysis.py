"""Graph algorithms on the flow legs: which places flows pass through, and which trade in circles.

* :func:`brokers`: places per market ranked by the project's one hub measure (:mod:`graph.hubs`:
  distinct sources naming the place as transit, a passage repeated across editions of a source
  series counted once), with betweenness centrality on the graph of legs beside it as a second
  view (a place with high betweenness sits on many of the shortest chains between others).
* :func:`connected_groups`: strongly connected groups of countries, in which every country
  reaches every other along stated legs (goods go round, not just one way).

>>> from graph.rdf import build_graph
>>> from graph.records import Document, DocumentFlows, Flow
>>> flows = [
...     Flow("heroin-trade", "heroin", ["AFG"], ["KAZ"], ["RUS"], evidence="a"),
...     Flow("arms-trafficking", "weapons", ["RUS"], [], ["KAZ"], evidence="b"),
... ]
>>> g = build_graph([Document("d.txt", "report", "ab")], [], [DocumentFlows("d.txt", None, flows)])
>>> [(b.market, b.place, b.sources, b.betweenness, b.transit_flows) for b in brokers(g)]
[('heroin-trade', 'KAZ', 1, 0.5, 1)]
>>> [(group.places, group.markets) for group in connected_groups(g)]
[(('KAZ', 'RUS'), ('arms-trafficking', 'heroin-trade'))]
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
from rdflib import Graph

from graph.hubs import transit_tallies
from graph.network import FlowView
from graph.query import market_slug
from graph.routes import leg_graph


@dataclass(frozen=True)
class Broker:
    """A place on the shortest chains of one market: its betweenness and its transit flows."""

    market: str
    place: str
    label: str
    #: "country" or "region".
    kind: str
    #: Normalised betweenness centrality on the market's graph of legs, rounded to 4 places.
    betweenness: float
    #: Flows of the market that pass through the place (legs both in and out of it).
    transit_flows: int
    #: The hub measure: distinct sources (passages, once per series) naming it as transit.
    sources: int = 0
    #: The source series behind ``sources``.
    series: int = 0


@dataclass(frozen=True)
class ConnectedGroup:
    """Places that all reach one another along stated legs."""

    places: tuple[str, ...]
    #: Markets of the legs inside the group.
    markets: tuple[str, ...]
    #: Number of (from, to) legs inside the group.
    legs: int


def _market_graph(legs: nx.DiGraph, market: str) -> nx.DiGraph:
    out = nx.DiGraph()
    out.add_nodes_from(legs.nodes(data=True))
    for u, v, data in legs.edges(data=True):
        stated = [s for s in data["statements"] if s.market == market]
        if stated:
            out.add_edge(u, v, statements=stated)
    out.remove_nodes_from([n for n in list(out) if out.degree(n) == 0])
    return out


def _transit_flows(market_legs: nx.DiGraph, place: str) -> int:
    into = {s.flow for _, _, d in market_legs.in_edges(place, data=True) for s in d["statements"]}
    out = {s.flow for _, _, d in market_legs.out_edges(place, data=True) for s in d["statements"]}
    return len(into & out)


def brokers(g: Graph, market: str | None = None, top: int | None = None) -> list[Broker]:
    """Places by the hub measure in each market (one market if given), highest first; ties by
    series, then by betweenness on the market's legs.

    Places with no hub value, no betweenness and no transit flows are left out; ``top`` keeps
    that many per market.
    """
    markets = [market_slug(market)] if market else None
    legs = leg_graph(g, FlowView(markets=frozenset(markets or ())))
    found = sorted({s.market for _, _, d in legs.edges(data=True) for s in d["statements"]})
    out: list[Broker] = []
    for slug in found:
        sub = _market_graph(legs, slug)
        centrality = nx.betweenness_centrality(sub)
        hubs = transit_tallies(g, slug)
        ranked = [
            Broker(
                slug,
                place,
                sub.nodes[place]["label"],
                sub.nodes[place]["kind"],
                round(score, 4),
                _transit_flows(sub, place),
                hubs[place].sources if place in hubs else 0,
                hubs[place].series if place in hubs else 0,
            )
            for place, score in centrality.items()
        ]
        ranked += [  # named as transit by a role only ("a transit country for …"): no legs
            Broker(slug, h.place, h.label, h.kind, 0.0, 0, h.sources, h.series)
            for h in hubs.values()
            if h.place not in centrality
        ]
        ranked = [b for b in ranked if b.sources > 0 or b.betweenness > 0 or b.transit_flows > 0]
        ranked.sort(
            key=lambda b: (-b.sources, -b.series, -b.betweenness, -b.transit_flows, b.place)
        )
        out.extend(ranked[:top] if top is not None else ranked)
    return out


def connected_groups(
    g: Graph, market: str | None = None, *, countries_only: bool = True
) -> list[ConnectedGroup]:
    """Strongly connected groups of two or more places on the legs (of one market if given).

    Regions are left out unless ``countries_only`` is False: "Europe" as the end of one flow and
    the start of another would join countries that no document ties together.
    """
    view = FlowView(markets=frozenset({market_slug(market)})) if market else None
    legs = leg_graph(g, view)
    if countries_only:
        legs.remove_nodes_from([n for n, kind in legs.nodes(data="kind") if kind != "country"])
    groups = []
    for members in nx.strongly_connected_components(legs):
        if len(members) < 2:
            continue
        inside = legs.subgraph(members)
        markets = {s.market for _, _, d in inside.edges(data=True) for s in d["statements"]}
        groups.append(
            ConnectedGroup(tuple(sorted(members)), tuple(sorted(markets)), inside.number_of_edges())
        )
    return sorted(groups, key=lambda grp: (-len(grp.places), grp.places))
