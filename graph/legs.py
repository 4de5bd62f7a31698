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

import networkx as nx
from rdflib import Graph

from graph import legcore
from graph.errors import CrimegraphError
from graph.legcore import GENERIC_DRUGS, PRECURSOR_CHOICES, Statement, sources
from graph.namespaces import CG
from graph.network import FlowView
from graph.vocab import indicator

__all__ = [
    "GENERIC_DRUGS",
    "PRECURSOR_CHOICES",
    "Statement",
    "is_drug_market",
    "land_borders",
    "leg_graph",
    "markets_with_generic",
    "sources",
]


def is_drug_market(slug: str) -> bool:
    """Whether a market is one of the drug markets (``drug-trade`` is their broader concept)."""
    try:
        return indicator(slug).broader == GENERIC_DRUGS
    except CrimegraphError:
        return False


def markets_with_generic(markets: frozenset[str], include_generic: bool) -> frozenset[str]:
    """The markets to read: with ``drug-trade`` added for a drug market when asked."""
    return legcore.markets_with_generic(markets, include_generic, is_drug_market)


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
    The legs themselves are :func:`graph.legcore.build_legs`'s, as routes and neighbours read them.
    """
    from graph.rdffacts import RdfFacts

    view = view or FlowView()
    asked = view.markets
    records = RdfFacts(g).flows(
        markets_with_generic(asked, include_generic), view.countries, view.documents
    )
    legs = legcore.build_legs(records, asked, precursors)
    out = nx.DiGraph()
    for (u, v), statements in sorted(legs.statements.items()):
        for node in (u, v):
            if node not in out:
                out.add_node(node, kind=legs.kinds[node], label=legs.labels[node])
        out.add_edge(
            u,
            v,
            statements=statements,
            weight=sources(statements),
            documents=len({s.document for s in statements}),
        )
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
