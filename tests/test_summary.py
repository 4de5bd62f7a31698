"""The summaries build adds (graph/summary.py) hold what counting the flows again gives.

Each kind of summary is compared with the same counts computed here in plain Python over the
graph's flows, evidence and documents (not through the SPARQL that made them), on the graph of
every annotated document; a graph changed after it was summarised no longer matches, and the
summaries meet their shapes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDFS
from rdflib.term import Node

from graph.documents import Document
from graph.errors import CrimegraphError
from graph.namespaces import CG, CGV
from graph.rdf import build_graph
from graph.records import DocumentFlows, Flow
from graph.store import copy_graph
from graph.summary import add_summaries
from graph.validate import validate

Rows = set[tuple[Any, ...]]


def _one(g: Graph, subject: Node, predicate: URIRef) -> Any:
    value = g.value(subject, predicate)
    return value.toPython() if isinstance(value, Literal) else value


def _flows(g: Graph) -> list[dict[str, Any]]:
    """Every flow with its market, places by role, precursor flag and (evidence, document)s."""
    out = []
    for flow in set(g.subjects(CG.evidence, None)):
        commodity = g.value(flow, CG.commodity)
        stages = [p for s in g.objects(flow, CG.transit) for p in g.objects(s, CG.stagePlace)]
        out.append(
            {
                "iri": flow,
                "market": g.value(flow, CG.market),
                "transit": set(stages),
                "places": {*g.objects(flow, CG.origin), *g.objects(flow, CG.destination), *stages},
                "commodity": commodity,
                "precursor": commodity is not None and (commodity, RDF.type, CG.Precursor) in g,
                "evidence": [
                    (e, g.value(e, PROV.wasQuotedFrom)) for e in g.objects(flow, CG.evidence)
                ],
            }
        )
    return out


def _markets(g: Graph) -> set[Node]:
    return set(g.subjects(RDF.type, CG.CriminalMarket))


def counted_markets(g: Graph) -> Rows:
    flows: dict[Node, set[Node]] = defaultdict(set)
    documents: dict[Node, set[Node]] = defaultdict(set)
    for f in _flows(g):
        if f["market"] in _markets(g):
            flows[f["market"]].add(f["iri"])
            documents[f["market"]] |= {d for _, d in f["evidence"]}
    commodities: dict[Node, set[Node]] = defaultdict(set)
    for c in g.subjects(RDF.type, CG.Commodity):
        for m in g.objects(c, CG.market):
            commodities[m].add(c)
    return {(m, len(flows[m]), len(documents[m]), len(commodities[m])) for m in flows}


def counted_places(g: Graph) -> Rows:
    flows: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
    for f in _flows(g):
        for place in f["places"]:
            flows[(f["market"], place)].add(f["iri"])
    return {(m, p, len(fs)) for (m, p), fs in flows.items()}


def counted_transit(g: Graph) -> Rows:
    seen: dict[tuple[Node, Node], list[set[Node]]] = defaultdict(
        lambda: [set(), set(), set(), set()]
    )
    for f in _flows(g):
        if f["market"] not in _markets(g) or f["precursor"]:
            continue
        for place in f["transit"]:
            sources, series, flows, documents = seen[(f["market"], place)]
            flows.add(f["iri"])
            for evidence, document in f["evidence"]:
                sources.add(g.value(evidence, CG.passage) or evidence)
                series.add(g.value(document, CG.series) or document)
                documents.add(document)
    return {(m, p, *(len(s) for s in sets)) for (m, p), sets in seen.items()}


def counted_documents(g: Graph) -> Rows:
    flows: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
    for f in _flows(g):
        if f["market"] in _markets(g):
            for _, document in f["evidence"]:
                flows[(f["market"], document)].add(f["iri"])
                flows[(CGV.markets, document)].add(f["iri"])
    name = {d: str(g.value(d, CG.fileName)) for _, d in flows}
    rows = set()
    for scope, document in flows:
        documents = sorted(name[d] for s, d in flows if s == scope)
        markets = sorted(str(m) for m, d in flows if d == document and m != CGV.markets)
        listed = [m.removeprefix(str(CGV)) for m in markets] if scope == CGV.markets else None
        rows.add(
            (
                scope,
                document,
                len(flows[(scope, document)]),
                documents.index(name[document]) + 1,
                ", ".join(listed or [str(scope).removeprefix(str(CGV))]),
            )
        )
    return rows


def counted_pairs(g: Graph) -> Rows:
    flows: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
    markets: dict[tuple[Node, Node], set[str]] = defaultdict(set)
    for f in _flows(g):
        for place in f["places"]:
            for other in f["places"] - {place}:
                flows[(place, other)].add(f["iri"])
                markets[(place, other)].add(str(f["market"]).removeprefix(str(CGV)))
    return {(a, b, len(fs), ", ".join(sorted(markets[(a, b)]))) for (a, b), fs in flows.items()}


def _codes(g: Graph, places: set[Node]) -> set[str]:
    return {str(c) for p in places for c in g.objects(p, CG.iso3)}


def counted_destinations(g: Graph) -> Rows:
    flows: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
    documents: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
    commodities: dict[tuple[Node, Node], set[str]] = defaultdict(set)
    for f in _flows(g):
        for place in g.objects(f["iri"], CG.destination):
            key = (f["market"], place)
            flows[key].add(f["iri"])
            documents[key] |= {d for _, d in f["evidence"]}
            commodities[key] |= {str(c) for c in g.objects(f["commodity"], RDFS.label)}
    return {
        (m, p, len(fs), len(documents[(m, p)]), ", ".join(sorted(commodities[(m, p)])))
        for (m, p), fs in flows.items()
    }


def counted_actors(g: Graph) -> Rows:
    scoped: dict[tuple[Node, Node, Node], list[dict[str, Any]]] = defaultdict(list)
    for f in _flows(g):
        if not f["places"]:
            continue  # the actors query counts flows that name a place
        for actor in g.objects(f["iri"], CG.actor):
            if (actor, RDF.type, CG.Actor) in g:
                for scope in (CG.Place, *f["places"]):
                    scoped[(actor, f["market"], scope)].append(f)
    return {
        (
            actor,
            market,
            scope,
            len(fs),
            len({d for f in fs for _, d in f["evidence"]}),
            ", ".join(sorted(set().union(*(_codes(g, f["places"]) for f in fs)))),
        )
        for (actor, market, scope), fs in scoped.items()
    }


def _listed(g: Graph, places: set[Node], separator: str = ", ") -> str:
    """The codes (ISO3 code or slug) of ``places``, distinct, in code-point order, joined."""
    codes = {str(c) for p in places for pred in (CG.iso3, CG.slug) for c in g.objects(p, pred)}
    return separator.join(sorted(codes))


def counted_flows(g: Graph) -> Rows:
    rows = set()
    for flow in g.subjects(RDF.type, CG.Flow):
        stages: dict[int, set[Node]] = defaultdict(set)
        for stage in g.objects(flow, CG.transit):
            position = g.value(stage, CG.position)
            if position is not None:
                stages[position.toPython()] |= set(g.objects(stage, CG.stagePlace))
        listed = [_listed(g, stages[p], "/") for p in sorted(stages)]
        rows.add(
            (
                flow,
                _listed(g, set(g.objects(flow, CG.origin))),
                " > ".join(s for s in listed if s),  # a stage with no code is not listed
                _listed(g, set(g.objects(flow, CG.destination))),
            )
        )
    return rows


def summarised(g: Graph, cls: URIRef, *predicates: URIRef) -> Rows:
    return {tuple(_one(g, s, p) for p in predicates) for s in g.subjects(RDF.type, cls)}


def _ints(rows: Rows) -> Rows:
    return {tuple(v.toPython() if isinstance(v, Literal) else v for v in r) for r in rows}


KINDS: list[tuple[str, Callable[[Graph], Rows], URIRef, tuple[URIRef, ...]]] = [
    ("markets", counted_markets, CG.MarketSummary,
     (CG.summaryMarket, CG.flowCount, CG.documentCount, CG.commodityCount)),
    ("places", counted_places, CG.PlaceSummary, (CG.summaryMarket, CG.summaryPlace, CG.flowCount)),
    ("transit", counted_transit, CG.TransitSummary,
     (CG.summaryMarket, CG.summaryPlace, CG.sourceCount, CG.seriesCount, CG.flowCount,
      CG.documentCount)),
    ("pairs", counted_pairs, CG.PairSummary,
     (CG.summaryPlace, CG.otherPlace, CG.flowCount, CG.marketList)),
    ("documents", counted_documents, CG.DocumentSummary,
     (CG.summaryScope, CG.summaryDocument, CG.flowCount, CG.nameRank, CG.marketList)),
    ("destinations", counted_destinations, CG.DestinationSummary,
     (CG.summaryMarket, CG.summaryPlace, CG.flowCount, CG.documentCount, CG.commodityList)),
    ("actors", counted_actors, CG.ActorSummary,
     (CG.summaryActor, CG.summaryMarket, CG.summaryScope, CG.flowCount, CG.documentCount,
      CG.countryList)),
    ("flows", counted_flows, CG.FlowSummary,
     (CG.summaryFlow, CG.originList, CG.transitList, CG.destinationList)),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "count", "cls", "predicates"), KINDS, ids=[k[0] for k in KINDS])
def test_each_summary_holds_what_counting_the_flows_gives(
    gold_build: Any, kind: str, count: Callable[[Graph], Rows], cls: URIRef, predicates: Any
) -> None:
    g = gold_build.graph
    expected = _ints(count(g))
    assert expected, f"the gold graph has no {kind} to count"
    assert summarised(g, cls, *predicates) == expected


def test_flow_summaries_hold_the_labels_of_each_flows_commodity(gold_build: Any) -> None:
    g = gold_build.graph
    labels = {
        (flow, str(label))
        for flow in g.subjects(RDF.type, CG.Flow)
        for commodity in g.objects(flow, CG.commodity)
        for label in g.objects(commodity, RDFS.label)
    }
    summarised_labels = {
        (g.value(summary, CG.summaryFlow), str(label))
        for summary in g.subjects(RDF.type, CG.FlowSummary)
        for label in g.objects(summary, CG.commodityLabel)
    }
    assert labels and summarised_labels == labels


def test_a_graph_changed_after_its_summaries_no_longer_matches(gold_build: Any) -> None:
    g = copy_graph(gold_build.graph, "memory")
    flow = next(iter(g.subjects(RDF.type, CG.Flow)))
    g.remove((flow, None, None))
    predicates = KINDS[0][3]
    assert summarised(g, CG.MarketSummary, *predicates) != _ints(counted_markets(g))


def test_summaries_are_computed_once() -> None:
    g = _small()
    with pytest.raises(CrimegraphError, match="holds summaries already"):
        add_summaries(g)


HEROIN = "Heroin moves from Afghanistan through Kazakhstan to Russia."
FUEL = "Fuel is smuggled from Kazakhstan to Kyrgyzstan."


def _small() -> Graph:
    flows = [
        DocumentFlows("a.txt", "KAZ", [Flow("heroin-trade", "heroin", ["AFG"], ["KAZ"], ["RUS"],
                                            evidence=HEROIN, span=(0, len(HEROIN)))]),
        DocumentFlows("b.txt", "KAZ", [Flow("non-renewable-resource-crimes", "fuel", ["KAZ"], [],
                                            ["KGZ"], evidence=FUEL, span=(0, len(FUEL)))]),
    ]  # fmt: skip
    docs = [Document("a.txt", "report", HEROIN), Document("b.txt", "report", FUEL)]
    return build_graph(docs, [], flows)


def test_the_summaries_of_a_built_graph_conform_to_the_shapes() -> None:
    result = validate(_small())
    assert result.conforms, result.text


@pytest.mark.parametrize(
    ("cls", "predicate", "value", "message"),
    [
        (CG.MarketSummary, CG.flowCount, Literal(0), "one positive number of flows"),
        (CG.TransitSummary, CG.sourceCount, None, "one positive hub measure"),
        (CG.DocumentSummary, CG.summaryScope, CG.Flow, "one criminal market or cgv:markets"),
        (CG.DocumentSummary, CG.marketList, Literal("heroin-trade,fuel"), "joined by ', '"),
        (CG.PairSummary, CG.otherPlace, None, "exactly one other place"),
        (CG.DestinationSummary, CG.commodityList, None, "lists its commodities once"),
        (CG.FlowSummary, CG.transitList, None, "lists its transit stages once"),
        (CG.FlowSummary, CG.summaryFlow, CG.Flow, "exactly one flow"),
    ],
)
def test_the_shapes_report_a_broken_summary(
    cls: URIRef, predicate: URIRef, value: Node | None, message: str
) -> None:
    g = _small()
    summary = next(iter(g.subjects(RDF.type, cls)))
    g.remove((summary, predicate, None))
    if value is not None:
        g.add((summary, predicate, value))
    result = validate(g)
    assert not result.conforms
    assert [v.message for v in result.violations if message in v.message]


EVERY_KIND = (CG.MarketSummary, CG.PlaceSummary, CG.TransitSummary, CG.PairSummary,
              CG.DocumentSummary, CG.DestinationSummary, CG.ActorSummary,
              CG.FlowSummary)  # fmt: skip


@pytest.mark.parametrize(
    ("name", "left_out"),
    [
        ("transit-countries", EVERY_KIND),
        ("flows-per-market", EVERY_KIND),
        ("documents", EVERY_KIND),
        ("flows-into-region", EVERY_KIND),
        # summarised by a build from before the destination summaries
        ("flows-into-region", (CG.DestinationSummary, CG.ActorSummary, CG.FlowSummary)),
        # summarised by a build from before the flow summaries
        ("flows-out-of", (CG.FlowSummary,)),
        ("flows-through", (CG.FlowSummary,)),
    ],
)
def test_a_graph_file_without_summaries_answers_as_a_new_build(
    tmp_path: Any, name: str, left_out: tuple[URIRef, ...]
) -> None:
    from graph.canned import canned
    from graph.diskstore import load_file
    from graph.storequery import bind_canned_on_store, run_store_query

    with_summaries = _small()
    older = copy_graph(with_summaries, "memory")
    for cls in left_out:
        for node in list(older.subjects(RDF.type, cls)):
            older.remove((node, None, None))
    answers = []
    for g, file in ((with_summaries, "new.nt"), (older, "old.nt")):
        g.serialize(tmp_path / file, format="nt")
        graph = load_file(tmp_path / file)
        query = canned(name)
        answers.append(run_store_query(graph, query.text, bind_canned_on_store(graph, query, {})))
    assert answers[0].rows and answers[1].rows == answers[0].rows
