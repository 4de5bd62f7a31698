"""The graph of stated legs: places as nodes, one edge per (from, to) with every passage behind it.

Routes, hubs and neighbour views all read legs from here, so they count sources alike:

* a leg keeps the direction its flow states; nothing here reverses an edge to make a chain;
* a leg's ``weight`` is the number of distinct passages behind it, a passage repeated by several
  editions of one source series counted once (:mod:`graph.series`), its ``documents`` all the
  documents that state it;
* ``include_generic`` lets a drug market's legs include those stated only as ``drug-trade``
  ("drugs", "narcotics"), each marked ``generic``;
* ``precursors`` says what to do with flows of precursor chemicals (``cg:Precursor``): keep them
  (``"include"``, the default of the views that show everything), leave them out
  (``"exclude"``, what routes of a drug do: they run the other way) or keep only them
  (``"only"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF

from graph.errors import CrimegraphError
from graph.namespaces import CG
from graph.network import FlowView, flow_edges, to_networkx
from graph.vocab import indicator

#: What ``precursors`` may be.
PRECURSOR_CHOICES: tuple[str, ...] = ("include", "exclude", "only")
#: The market that stands for drugs in general ("drugs", "narcotics").
GENERIC_DRUGS = "drug-trade"


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
    #: The passage of its source series this evidence repeats (the evidence IRI if none).
    passage: str = ""
    #: The source series of the document.
    series: str = ""
    #: True when the flow is stated only as drugs in general, not as the market asked for.
    generic: bool = False
    #: True for a flow of precursor chemicals.
    precursor: bool = False

    @property
    def source(self) -> str:
        """What counts as one source: the passage (once per series), else the evidence."""
        return self.passage or f"{self.document}\x00{self.evidence}"


def sources(statements: Any) -> int:
    """The number of distinct sources (passages counted once per series) among statements."""
    return len({s.source for s in statements})


def is_drug_market(slug: str) -> bool:
    """Whether a market is one of the drug markets (``drug-trade`` is their broader concept)."""
    try:
        return indicator(slug).broader == GENERIC_DRUGS
    except CrimegraphError:
        return False


def markets_with_generic(markets: frozenset[str], include_generic: bool) -> frozenset[str]:
    """The markets to read: with ``drug-trade`` added for a drug market when asked."""
    if include_generic and any(is_drug_market(m) for m in markets):
        return markets | {GENERIC_DRUGS}
    return markets


def _statements(
    g: Graph, flow: str, attrs: dict[str, Any], asked: frozenset[str]
) -> list[Statement]:
    """One statement per passage of the flow, with the flow's market, commodity and checkpoints."""
    node = URIRef(flow)
    commodity = g.value(node, CG.commodity)
    precursor = commodity is not None and (commodity, RDF.type, CG.Precursor) in g
    market = str(attrs["market"])
    generic = bool(asked) and market == GENERIC_DRUGS and GENERIC_DRUGS not in asked
    out = []
    for evidence in g.objects(node, CG.evidence):
        doc = g.value(evidence, PROV.wasQuotedFrom)
        passage = g.value(evidence, CG.passage)
        series = g.value(doc, CG.series) if doc is not None else None
        hedge = g.value(evidence, CG.hedge)
        out.append(
            Statement(
                flow=flow,
                market=market,
                commodity=str(attrs["commodity"]),
                evidence=str(g.value(evidence, CG.text) or ""),
                document=str(g.value(doc, CG.fileName) or "") if doc is not None else "",
                hedge=str(hedge) if hedge is not None else None,
                checkpoints=tuple(str(c) for c in attrs["checkpoints"]),
                passage=str(passage) if passage is not None else str(evidence),
                series=str(series).rsplit("/", 1)[-1] if series is not None else "",
                generic=generic,
                precursor=precursor,
            )
        )
    return sorted(out, key=lambda s: (s.market, s.document, s.evidence, s.flow))


def _kept(statements: list[Statement], precursors: str) -> list[Statement]:
    if precursors == "exclude":
        return [s for s in statements if not s.precursor]
    if precursors == "only":
        return [s for s in statements if s.precursor]
    return statements


def leg_graph(
    g: Graph,
    view: FlowView | None = None,
    *,
    include_generic: bool = False,
    precursors: str = "include",
) -> nx.DiGraph:
    """The flow legs of ``g`` as a DiGraph of places: one edge per (from, to), all flows merged.

    Each edge holds ``statements`` (the passages that state the leg), ``weight`` (distinct
    sources: passages, once per series) and ``documents`` (distinct documents); nodes keep the
    projection's ``kind`` and ``label``. ``view`` filters flows by market, country or document as
    :func:`graph.network.to_networkx`; ``include_generic`` and ``precursors`` as the module says.
    """
    if precursors not in PRECURSOR_CHOICES:
        raise CrimegraphError(
            f"unknown precursors choice {precursors!r} (known: {', '.join(PRECURSOR_CHOICES)})"
        )
    view = view or FlowView()
    asked = view.markets
    read = FlowView(
        markets=markets_with_generic(asked, include_generic),
        countries=view.countries,
        documents=view.documents,
    )
    projection = to_networkx(g, read)
    out = nx.DiGraph()
    cache: dict[str, list[Statement]] = {}
    for u, v, _, attrs in sorted(flow_edges(projection), key=lambda e: (e[0], e[1], e[2])):
        flow = str(attrs["flow"])
        if flow not in cache:
            cache[flow] = _kept(_statements(g, flow, attrs, asked), precursors)
        if not cache[flow]:
            continue
        for node in (u, v):
            if node not in out:
                data = projection.nodes[node]
                out.add_node(node, kind=data["kind"], label=data["label"])
        if not out.has_edge(u, v):
            out.add_edge(u, v, statements=[], flows=set())
        edge = out.edges[u, v]
        if flow not in edge["flows"]:  # a flow states a leg once, however often it repeats it
            edge["flows"].add(flow)
            edge["statements"].extend(cache[flow])
    for _, _, data in out.edges(data=True):
        data["statements"].sort(key=lambda s: (s.market, s.document, s.evidence, s.flow))
        data["weight"] = sources(data["statements"])
        data["documents"] = len({s.document for s in data["statements"]})
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
