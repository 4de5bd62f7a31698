"""A country's land neighbours and what ties it to each: border flows, checkpoints, scores.

Neighbours come from the reference borders in the graph (``cg:borders``, from
``data/reference``), not from the documents. For each neighbour: the flow legs across that
border in each direction, grouped by market; the checkpoints that sit on that border; and both
countries' Index scores side by side. Legs to or from countries that are not neighbours are
listed too, with how they may run (:mod:`graph.transit`: direct by sea or air first, then
chains through countries the graph states those markets' flows through; inferred, never stated).

>>> from graph.rdf import build_graph
>>> from graph.records import Document, DocumentFlows, Flow
>>> text = "Heroin moves from Afghanistan via Kazakhstan to Russia."
>>> flow = Flow("heroin-trade", "heroin", ["AFG"], ["KAZ"], ["RUS"], evidence=text)
>>> g = build_graph([Document("d.txt", "report", text)], [], [DocumentFlows("d.txt", None, [flow])])
>>> report = neighbours(g, "Kazakhstan")
>>> [n.iso3 for n in report.neighbours]
['CHN', 'KGZ', 'RUS', 'TKM', 'UZB']
>>> [(c.market, c.source, c.target) for c in report.neighbour("RUS").outgoing]
[('heroin-trade', 'KAZ', 'RUS')]
>>> [(p.iso3, [s.kind for s in p.implied.suggestions]) for p in report.distant]
[('AFG', ['direct'])]
"""

from __future__ import annotations

from rdflib import Graph

from graph import legcore
from graph.legcore import Crossing, DistantPartner, Neighbour, NeighbourReport, ScorePair
from graph.query import country_code

__all__ = [
    "Crossing",
    "DistantPartner",
    "Neighbour",
    "NeighbourReport",
    "ScorePair",
    "border_checkpoints",
    "neighbours",
    "scores",
]


def scores(g: Graph, iso3: str) -> dict[tuple[str, int], float]:
    """The Index scores of a country in the graph, by (indicator slug, edition)."""
    from graph.rdffacts import RdfFacts

    return RdfFacts(g).scores(iso3)


def border_checkpoints(g: Graph, a: str, b: str) -> tuple[str, ...]:
    """The names of the checkpoints that sit on the border of countries ``a`` and ``b``."""
    from graph.rdffacts import RdfFacts

    return RdfFacts(g).border_checkpoints(a, b)


def neighbours(g: Graph, country: str, *, chains: int = 10) -> NeighbourReport:
    """What ties ``country`` (ISO3 code or name) to its land neighbours and distant partners.

    ``chains`` caps the implied-transit chains listed per distant partner. The semantics are
    :func:`graph.legcore.neighbours`, which the store's fast path shares.
    """
    from graph.rdffacts import RdfFacts

    return legcore.neighbours(RdfFacts(g), country_code(country), chains=chains)
