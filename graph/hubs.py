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

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Graph
from rdflib.namespace import PROV, RDF, RDFS
from rdflib.term import Node

from graph.legs import GENERIC_DRUGS, is_drug_market, markets_with_generic
from graph.namespaces import CG
from graph.query import market_slug


@dataclass(frozen=True)
class Hub:
    """A place's hub value in one market, and the sources behind it."""

    market: str
    place: str
    label: str
    #: "country" or "region".
    kind: str
    #: The hub value: distinct sources (passages, once per series) naming the place as transit.
    sources: int
    #: Of those, the sources that state drugs in general, not the market itself.
    generic_sources: int
    #: Distinct source series, documents and flows behind the value.
    series: int
    documents: int
    flows: int


@dataclass
class _Tally:
    sources: set[str] = field(default_factory=set)
    generic: set[str] = field(default_factory=set)
    series: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)
    flows: set[str] = field(default_factory=set)


def _slug(g: Graph, node: Node | None) -> str:
    value = g.value(node, CG.slug) if node is not None else None
    return str(value) if value is not None else str(node).rsplit("/", 1)[-1]


def transit_tallies(
    g: Graph, market: str, *, include_generic: bool | None = None
) -> dict[str, Hub]:
    """Every place named as a transit stage of ``market``'s flows, with its hub value.

    ``include_generic`` defaults to False (see the module's text).
    """
    slug = market_slug(market)
    generic = bool(include_generic) and is_drug_market(slug)
    read = markets_with_generic(frozenset({slug}), generic)
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    places: dict[str, tuple[str, str]] = {}
    for flow in g.subjects(RDF.type, CG.Flow):
        flow_market = _slug(g, g.value(flow, CG.market))
        if flow_market not in read:
            continue
        commodity = g.value(flow, CG.commodity)
        if commodity is not None and (commodity, RDF.type, CG.Precursor) in g:
            continue
        stages = [p for s in g.objects(flow, CG.transit) for p in g.objects(s, CG.stagePlace)]
        if not stages:
            continue
        evidence = []
        for ev in g.objects(flow, CG.evidence):
            doc = g.value(ev, PROV.wasQuotedFrom)
            series = g.value(doc, CG.series) if doc is not None else None
            passage = g.value(ev, CG.passage) or ev
            evidence.append((str(passage), str(series or doc), str(doc)))
        for place in stages:
            iso3 = g.value(place, CG.iso3)
            code = str(iso3) if iso3 is not None else _slug(g, place)
            kind = "country" if iso3 is not None else "region"
            places[code] = (str(g.value(place, RDFS.label) or code), kind)
            tally = tallies[code]
            tally.flows.add(str(flow))
            for source_key, series_key, doc_key in evidence:
                tally.sources.add(source_key)
                tally.series.add(series_key)
                tally.documents.add(doc_key)
                if flow_market == GENERIC_DRUGS and slug != GENERIC_DRUGS:
                    tally.generic.add(source_key)
    return {
        code: Hub(
            slug,
            code,
            places[code][0],
            places[code][1],
            len(t.sources),
            len(t.generic),
            len(t.series),
            len(t.documents),
            len(t.flows),
        )
        for code, t in tallies.items()
    }


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
