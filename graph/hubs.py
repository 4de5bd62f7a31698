"""The hub measure: how many sources name a place as a transit stage of a market's flows.

One measure, used by ``crimegraph hubs``, implied transit (:mod:`graph.transit`), the
``transit-countries`` canned query and the notebooks:

    hub value of place P in market M = the number of distinct sources that state a flow of M
    with P as a transit stage, a source being a passage counted once per source series
    (:mod:`graph.series`: seven Factbook editions repeating one sentence are one source).

Each value comes with what stands behind it: the source series, the documents and the flows.
Why this and not betweenness: most statements of transit are roles ("a transit country for
cocaine bound for Europe") with no leg on either side, which betweenness on the graph of legs
cannot see, and a betweenness score hides how many sources it rests on. A ranking of one drug
counts that drug's flows only; with ``include_generic``, flows stated only as drugs in general
count too (their share is ``generic_sources``): "drugs" through Kyrgyzstan are mostly Afghan
opiates, and would otherwise rank it among cocaine hubs. Implied transit of a drug route uses
the generic count, as the route's legs do. Precursor flows never count towards a drug's hubs.

>>> from graph.rdf import build_graph
>>> from graph.records import Document, DocumentFlows, Flow
>>> flows = [Flow("heroin-trade", "heroin", ["AFG"], ["KAZ"], ["RUS"], evidence="a")]
>>> g = build_graph([Document("d.txt", "report", "a")], [], [DocumentFlows("d.txt", None, flows)])
>>> [(h.place, h.sources, h.series) for h in hub_ranking(g, "heroin")]
[('KAZ', 1, 1)]
"""

from __future__ import annotations

from rdflib import Graph

from graph.legcore import Hub, tallies
from graph.query import market_slug

__all__ = ["Hub", "hub_ranking", "transit_tallies"]


def transit_tallies(
    g: Graph, market: str, *, include_generic: bool | None = None
) -> dict[str, Hub]:
    """Every place named as a transit stage of ``market``'s flows, with its hub value.

    ``include_generic`` defaults to False (see the module's text); the tally itself is
    :func:`graph.legcore.tallies`, shared with the store's fast path.
    """
    from graph.rdffacts import RdfFacts

    return tallies(RdfFacts(g), market_slug(market), include_generic=include_generic)


def hub_ranking(
    g: Graph,
    market: str,
    *,
    include_generic: bool | None = None,
    countries_only: bool = True,
    top: int | None = None,
) -> list[Hub]:
    """Places by hub value in ``market``, highest first (then by series, then by code).

    ``include_generic`` adds flows stated as drugs in general (drug markets only);
    ``countries_only`` leaves regions out; ``top`` keeps that many.
    """
    hubs = transit_tallies(g, market, include_generic=include_generic).values()
    ranked = sorted(
        (h for h in hubs if h.kind == "country" or not countries_only),
        key=lambda h: (-h.sources, -h.series, h.place),
    )
    return ranked[:top] if top is not None else ranked
