"""Project the RDF graph onto a NetworkX MultiDiGraph: places as nodes, flow legs as edges.

Every view (GraphML, GEXF, HTML, route finding) comes from this one projection of the RDF
graph, so the graph stays the single source. Flows are nodes in RDF (they hold their
evidence); here each leg of a flow becomes an edge. Commodities, actors, routes, checkpoints
and sub-national places become typed nodes tied to the places they belong to.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from graph.namespaces import CG, GEO

#: Node kinds, by the RDF class that makes them.
NODE_KINDS: dict[URIRef, str] = {
    CG.Country: "country",
    CG.Region: "region",
    CG.BorderCheckpoint: "checkpoint",
    CG.SubnationalPlace: "subnational",
    CG.City: "subnational",
    CG.Valley: "subnational",
    CG.River: "subnational",
    CG.Commodity: "commodity",
    CG.Actor: "actor",
    CG.Route: "route",
}

#: How a flow's other entities are tied to the places of the flow, by their property.
TIES: dict[URIRef, str] = {
    CG.commodity: "moves_through",
    CG.route: "passes_through",
    CG.actor: "operates_in",
}


@dataclass(frozen=True)
class FlowView:
    """Which flows to keep in a projection; empty sets keep everything."""

    markets: frozenset[str] = field(default_factory=frozenset)
    countries: frozenset[str] = field(default_factory=frozenset)
    documents: frozenset[str] = field(default_factory=frozenset)
    #: With ``countries``: keep only the legs with one of them at an end (and the places of
    #: those legs), not the whole chain of each flow that touches them.
    legs_touching: bool = False


def _text(g: Graph, s: Node, p: URIRef) -> str | None:
    v = g.value(s, p)
    return str(v) if v is not None else None


def _number(value: Node | None) -> int:
    return int(value.toPython()) if isinstance(value, Literal) else 0


def _local(iri: Node) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


class _Projector:
    """Reads the RDF graph once per term and caches node keys."""

    def __init__(self, g: Graph) -> None:
        self.g = g
        self._keys: dict[Node, str] = {}

    def kind(self, node: Node) -> str:
        for t in self.g.objects(node, RDF.type):
            if isinstance(t, URIRef) and t in NODE_KINDS:
                return NODE_KINDS[t]
        return "place"

    def key(self, node: Node) -> str:
        """Place codes as in flow records (``KAZ``, ``central-asia``); ``kind:slug`` otherwise."""
        if node not in self._keys:
            iso3 = _text(self.g, node, CG.iso3)
            kind = self.kind(node)
            slug = _text(self.g, node, CG.slug) or _local(node)
            if iso3:
                self._keys[node] = iso3
            elif kind == "region":
                self._keys[node] = slug
            else:
                self._keys[node] = f"{kind}:{slug}"
        return self._keys[node]

    def label(self, node: Node) -> str:
        for p in (SKOS.prefLabel, RDFS.label):
            v = self.g.value(node, p)
            if v is not None:
                return str(v)
        return _local(node)

    def add_node(self, nxg: nx.MultiDiGraph, node: Node) -> str:
        key = self.key(node)
        if key not in nxg:
            attrs: dict[str, Any] = {
                "kind": self.kind(node),
                "label": self.label(node),
                "iri": str(node),
            }
            lat, lon = self.g.value(node, GEO.lat), self.g.value(node, GEO.long)
            if isinstance(lat, Literal) and isinstance(lon, Literal):
                attrs["lat"], attrs["lon"] = float(lat.toPython()), float(lon.toPython())
            nxg.add_node(key, **attrs)
        return key

    def market(self, flow: Node) -> str:
        m = self.g.value(flow, CG.market)
        return (_text(self.g, m, CG.slug) or _local(m)) if m is not None else ""

    def stages(self, flow: Node) -> list[list[Node]]:
        """Origins, each transit stage in order, destinations; empty stages skipped."""
        g = self.g
        transit = sorted(
            g.objects(flow, CG.transit), key=lambda s: _number(g.value(s, CG.position))
        )
        chain = [sorted(g.objects(flow, CG.origin), key=str)]
        chain += [sorted(g.objects(s, CG.stagePlace), key=str) for s in transit]
        chain.append(sorted(g.objects(flow, CG.destination), key=str))
        return [s for s in chain if s]

    def evidence(self, flow: Node) -> list[tuple[str, str]]:
        """(text, document name) of each passage that states the flow."""
        out = []
        for ev in self.g.objects(flow, CG.evidence):
            doc = self.g.value(ev, PROV.wasQuotedFrom) or self.g.value(flow, PROV.wasDerivedFrom)
            name = (_text(self.g, doc, CG.fileName) or _local(doc)) if doc is not None else ""
            out.append((_text(self.g, ev, CG.text) or "", name))
        return sorted(out)


def to_networkx(g: Graph, view: FlowView | None = None) -> nx.MultiDiGraph:
    """The flow network of an RDF graph, optionally filtered by market, country or document.

    >>> from graph.records import Document, DocumentFlows, Flow
    >>> from graph.rdf import build_graph
    >>> text = "Heroin moves from Afghanistan via Kazakhstan to Russia."
    >>> doc = Document("d.txt", "report", text)
    >>> flow = Flow("heroin-trade", "heroin", ["AFG"], ["KAZ"], ["RUS"], evidence=text)
    >>> nxg = to_networkx(build_graph([doc], [], [DocumentFlows("d.txt", None, [flow])]))
    >>> sorted((u, v) for u, v, _, _ in flow_edges(nxg))
    [('AFG', 'KAZ'), ('KAZ', 'RUS')]
    """
    view = view or FlowView()
    proj = _Projector(g)
    nxg = nx.MultiDiGraph()
    for flow in sorted(g.subjects(RDF.type, CG.Flow), key=str):
        market = proj.market(flow)
        if view.markets and market not in view.markets:
            continue
        stages = proj.stages(flow)
        codes = {proj.key(p) for stage in stages for p in stage}
        if view.countries and not codes & view.countries:
            continue
        evidence = proj.evidence(flow)
        documents = sorted({doc for _, doc in evidence if doc})
        if view.documents and not set(documents) & view.documents:
            continue
        _add_flow(nxg, proj, flow, market, stages, evidence, documents, view)
    _add_place_ties(nxg, proj)
    return nxg


def _add_flow(
    nxg: nx.MultiDiGraph,
    proj: _Projector,
    flow: Node,
    market: str,
    stages: list[list[Node]],
    evidence: list[tuple[str, str]],
    documents: list[str],
    view: FlowView,
) -> None:
    g = proj.g
    commodity = g.value(flow, CG.commodity)
    route = g.value(flow, CG.route)
    attrs: dict[str, Any] = {
        "kind": "flow",
        "market": market,
        "commodity": proj.label(commodity) if commodity is not None else "",
        "route": proj.label(route) if route is not None else "",
        "mode": sorted(str(m) for m in g.objects(flow, CG.mode)),
        "checkpoints": sorted(proj.label(c) for c in g.objects(flow, CG.checkpoint)),
        "actors": sorted(proj.label(a) for a in g.objects(flow, CG.actor)),
        "hedge": sorted(
            {str(h) for ev in g.objects(flow, CG.evidence) for h in g.objects(ev, CG.hedge)}
        ),
        "flow": str(flow),
        "evidence": [text for text, _ in evidence],
        "documents": documents,
        "weight": max(1, len(documents)),
    }
    leg = 0
    focus = view.countries if view.legs_touching else frozenset()
    kept: set[str] = set()
    for before, after in itertools.pairwise(stages):
        for a, b in itertools.product(before, after):
            u, v = proj.key(a), proj.key(b)
            if u == v or (focus and u not in focus and v not in focus):
                continue
            proj.add_node(nxg, a), proj.add_node(nxg, b)
            kept.update((u, v))
            nxg.add_edge(u, v, key=f"{flow}#{leg}", leg=leg, **attrs)
            leg += 1
    places = [
        proj.add_node(nxg, p)
        for stage in stages
        for p in stage
        if not focus or proj.key(p) in kept or proj.key(p) in focus
    ]
    for prop, relation in TIES.items():
        for entity in g.objects(flow, prop):
            e = proj.add_node(nxg, entity)
            for place in places:
                _tie(nxg, e, place, relation, market)
    for cp in g.objects(flow, CG.checkpoint):
        proj.add_node(nxg, cp)
    for sp in g.objects(flow, CG.namedPlace):
        proj.add_node(nxg, sp)


def _tie(nxg: nx.MultiDiGraph, u: str, v: str, relation: str, market: str | None = None) -> None:
    """One edge per (entity, place, relation); repeated ties raise its weight."""
    key = f"{relation}:{u}->{v}"
    if nxg.has_edge(u, v, key):
        data = nxg.edges[u, v, key]
        data["weight"] += 1
        if market and market not in data["markets"]:
            data["markets"].append(market)
        return
    nxg.add_edge(u, v, key=key, kind=relation, weight=1, markets=[market] if market else [])


def _add_place_ties(nxg: nx.MultiDiGraph, proj: _Projector) -> None:
    """Tie checkpoints to the countries of their border and sub-national places to theirs."""
    for key, data in list(nxg.nodes(data=True)):
        node = URIRef(data["iri"])
        if data["kind"] == "checkpoint":
            for country in proj.g.objects(node, CG.onBorderOf):
                _tie(nxg, key, proj.add_node(nxg, country), "on_border_of")
            for country in proj.g.objects(node, CG.locatedIn):  # a border no text names
                _tie(nxg, key, proj.add_node(nxg, country), "located_in")
        elif data["kind"] == "subnational":
            for country in proj.g.objects(node, CG.locatedIn):
                _tie(nxg, key, proj.add_node(nxg, country), "located_in")


def flow_edges(nxg: nx.MultiDiGraph) -> Iterable[tuple[str, str, str, dict[str, Any]]]:
    """The flow-leg edges of a projection (leaving out the ties of commodities, actors, …)."""
    for u, v, k, d in nxg.edges(keys=True, data=True):
        if d.get("kind") == "flow":
            yield u, v, k, d


def flatten_for_export(nxg: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are all strings or numbers, as GraphML and GEXF (Gephi) need."""
    flat = nx.MultiDiGraph()
    for n, d in nxg.nodes(data=True):
        flat.add_node(n, **{k: _flat(v) for k, v in d.items()})
    for u, v, k, d in nxg.edges(keys=True, data=True):
        flat.add_edge(u, v, key=k, **{a: _flat(b) for a, b in d.items()})
    return flat


def _flat(value: Any) -> str | int | float | bool:
    if isinstance(value, bool | int | float | str):
        return value
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        return " | ".join(str(x) for x in value)
    return str(value)
