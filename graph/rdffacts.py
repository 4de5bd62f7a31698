"""The records of :mod:`graph.legcore` read from an rdflib graph.

Places are keyed, kinded and labelled as the NetworkX projection (:mod:`graph.network`) keys
them; the store reader (:mod:`graph.storefacts`) reads the same records with SPARQL.
"""

from __future__ import annotations

import functools

from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDF, RDFS
from rdflib.term import Node

from graph.legcore import Evidence, FlowRecord, Place
from graph.namespaces import CG, CGV, GEO
from graph.network import _Projector
from graph.rdf import country_iri
from graph.transit import Point


class RdfFacts:
    """The facts of an rdflib graph (see :class:`graph.legcore.Facts`)."""

    def __init__(self, g: Graph) -> None:
        self.g = g
        self.proj = _Projector(g)
        self._flows: dict[
            tuple[frozenset[str], frozenset[str], frozenset[str], bool, frozenset[str]],
            list[FlowRecord],
        ]
        self._flows = {}
        self._records: dict[Node, FlowRecord] = {}

    def _place(self, node: Node) -> Place:
        g = self.g
        iso3 = g.value(node, CG.iso3)
        slug = g.value(node, CG.slug)
        hub = (
            str(iso3)
            if iso3 is not None
            else (str(slug) if slug is not None else str(node).rsplit("/", 1)[-1])
        )
        return Place(
            self.proj.key(node),
            self.proj.kind(node),
            self.proj.label(node),
            hub,
            str(g.value(node, RDFS.label) or hub),
        )

    def _record(self, flow: Node) -> FlowRecord:
        if flow in self._records:
            return self._records[flow]
        g, proj = self.g, self.proj
        commodity = g.value(flow, CG.commodity)
        precursor = commodity is not None and (commodity, RDF.type, CG.Precursor) in g
        chain = tuple(tuple(self._place(p) for p in stage) for stage in proj.stages(flow))
        transit = tuple(
            self._place(p) for s in g.objects(flow, CG.transit) for p in g.objects(s, CG.stagePlace)
        )
        evidence = []
        for ev in g.objects(flow, CG.evidence):
            doc = g.value(ev, PROV.wasQuotedFrom)
            passage = g.value(ev, CG.passage)
            series = g.value(doc, CG.series) if doc is not None else None
            hedge = g.value(ev, CG.hedge)
            evidence.append(
                Evidence(
                    node=str(ev),
                    text=str(g.value(ev, CG.text) or ""),
                    document=str(g.value(doc, CG.fileName) or "") if doc is not None else "",
                    doc_node=str(doc) if doc is not None else "",
                    hedge=str(hedge) if hedge is not None else None,
                    passage=str(passage) if passage is not None else "",
                    series=str(series) if series is not None else "",
                )
            )
        record = FlowRecord(
            flow=str(flow),
            market=proj.market(flow),
            commodity=proj.label(commodity) if commodity is not None else "",
            precursor=precursor,
            chain=chain,
            transit=transit,
            checkpoints=tuple(sorted(proj.label(c) for c in g.objects(flow, CG.checkpoint))),
            evidence=tuple(evidence),
        )
        self._records[flow] = record
        return record

    def flows(
        self,
        markets: frozenset[str] = frozenset(),
        countries: frozenset[str] = frozenset(),
        documents: frozenset[str] = frozenset(),
        *,
        transit: bool = False,
        through: frozenset[str] = frozenset(),
    ) -> list[FlowRecord]:
        key = (markets, countries, documents, transit, through)
        if key in self._flows:
            return self._flows[key]
        out = []
        for flow in sorted(self.g.subjects(RDF.type, CG.Flow), key=str):
            if markets and self.proj.market(flow) not in markets:
                continue
            record = self._record(flow)
            if transit and not record.transit:
                continue
            if through and not {p.hub for p in record.transit} & through:
                continue
            if countries and not {p.key for s in record.chain for p in s} & countries:
                continue
            if documents and not {doc for _, doc in self.proj.evidence(flow) if doc} & documents:
                continue
            out.append(record)
        self._flows[key] = out
        return out

    def complete(self, records: list[FlowRecord]) -> list[FlowRecord]:
        return records

    @functools.cache  # noqa: B019 - one reader per answer
    def borders(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for a, b in self.g.subject_objects(CG.borders):
            code_a, code_b = self.g.value(a, CG.iso3), self.g.value(b, CG.iso3)
            if code_a is not None and code_b is not None:
                out.setdefault(str(code_a), set()).add(str(code_b))
                out.setdefault(str(code_b), set()).add(str(code_a))
        return out

    @functools.cache  # noqa: B019 - one reader per answer
    def points(self) -> dict[str, Point]:
        return country_points(self.g)

    def is_drug_market(self, slug: str) -> bool:
        from graph.legs import is_drug_market

        return is_drug_market(slug)

    def name(self, iso3: str) -> str:
        label = self.g.value(country_iri(iso3), RDFS.label)
        return str(label) if label is not None else iso3

    def scores(self, iso3: str) -> dict[tuple[str, int], float]:
        g = self.g
        out: dict[tuple[str, int], float] = {}
        for obs in g.subjects(CG.country, country_iri(iso3)):
            indicator, edition, value = (
                g.value(obs, p) for p in (CG.indicator, CG.edition, CG.value)
            )
            if (
                indicator is None
                or not isinstance(edition, Literal)
                or not isinstance(value, Literal)
            ):
                continue
            out[(str(indicator).removeprefix(str(CGV)), int(edition))] = float(value)
        return out

    def border_checkpoints(self, a: str, b: str) -> tuple[str, ...]:
        g = self.g
        first, second = country_iri(a), country_iri(b)
        found = {
            str(g.value(cp, RDFS.label) or cp)
            for cp in g.subjects(CG.onBorderOf, first)
            if (cp, CG.onBorderOf, second) in g
        }
        return tuple(sorted(found))

    def indicator_order(self) -> list[str]:
        from graph.vocab import indicators

        return [ind.slug for ind in indicators()]


def country_points(g: Graph) -> dict[str, Point]:
    """(lat, lon) of every country of the graph that has them."""
    out: dict[str, Point] = {}
    for country in g.subjects(RDF.type, CG.Country):
        code, lat, lon = (
            g.value(country, CG.iso3),
            g.value(country, GEO.lat),
            g.value(country, GEO.long),
        )
        if code is not None and isinstance(lat, Literal) and isinstance(lon, Literal):
            out[str(code)] = (float(lat.toPython()), float(lon.toPython()))
    return out
