"""Summaries: counts that ``build`` computes once from the flows (per market, per market and
place, per market and transit place, per market and destination, per pair of places, per
document and market, per actor, market and place; and per flow the codes of its places, as
the flows-* queries list them), so that canned queries read a few summaries instead of counting
every flow, passage and document at each query (docs/summaries.md).

Each kind of summary is a SPARQL query in ``summaries/`` (its header says what each count
means), evaluated by Oxigraph over the whole graph: a CONSTRUCT, or a SELECT whose rows a
function here turns into triples (totals, ordered lists, ranks that SPARQL cannot give in one
pass); the classes and properties are declared in
``ontology/crimegraph.ttl`` and checked by ``ontology/shapes.ttl``. Summary IRIs are built from
the market, place and document IRIs, so rebuilding from the same records gives the same graph.

>>> from graph.documents import Document
>>> from graph.records import DocumentFlows, Flow
>>> from graph.rdf import build_graph
>>> flow = Flow(market="heroin-trade", commodity="heroin", origin=["AFG"], destination=["RUS"])
>>> g = build_graph([Document("d.txt", "report", "x")], [], [DocumentFlows("d.txt", None, [flow])])
>>> [str(s).removeprefix(str(CGI)) for s in sorted(g.subjects(RDF.type, CG.MarketSummary))]
['summary/market/heroin-trade']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph.errors import CrimegraphError
from graph.namespaces import CG, CGI, CGV
from graph.store import add_triples, oxigraph_store, serialize, store_name

#: Folder of the summary queries, one per kind of summary.
SUMMARIES_DIR = Path(__file__).resolve().parent / "summaries"


def summary_queries(directory: Path = SUMMARIES_DIR) -> list[tuple[str, str]]:
    """(name, text) of each summary query, by name."""
    return [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.rq"))]


def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_XSD_INTEGER)


_XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_TYPE = ox.NamedNode(str(RDF.type))
_EVERY_MARKET = ox.NamedNode(f"{CGV}markets")


def _document_summary(
    scope: ox.NamedNode, document: ox.NamedNode, flows: int, rank: int, markets: str
) -> list[ox.Triple]:
    """The triples of one document summary: a document's flows in one scope, the markets they
    are of and the rank of its file name in the scope."""
    local = document.value.removeprefix(f"{CGI}document/")
    slug = scope.value.removeprefix(str(CGV))
    node = _node(f"{CGI}summary/document/{slug}/{local}")
    return [
        ox.Triple(node, _TYPE, _node(str(CG.DocumentSummary))),
        ox.Triple(node, _node(str(CG.summaryDocument)), document),
        ox.Triple(node, _node(str(CG.summaryScope)), scope),
        ox.Triple(node, _node(str(CG.flowCount)), _integer(flows)),
        ox.Triple(node, _node(str(CG.nameRank)), _integer(rank)),
        ox.Triple(node, _node(str(CG.marketList)), ox.Literal(markets)),
    ]


def document_summaries(rows: Iterable[ox.QuerySolution]) -> Iterator[ox.Triple]:
    """Document summaries from the rows of ``summaries/documents.rq`` (document, name, market,
    flows): one per document and market, and one per document over every market (scope
    ``cgv:markets``), each with the rank (1 = first) of the document's file name among the
    documents of its scope, in code-point order as SPARQL compares strings, and the slugs of
    the markets counted, in order, joined by ", "."""
    flows: dict[tuple[ox.NamedNode, ox.NamedNode], int] = {}
    names: dict[ox.NamedNode, str] = {}
    for row in rows:
        document, market = row["document"], row["market"]
        names[document] = row["name"].value
        flows[(market, document)] = int(row["flows"].value)
    for (_, document), count in list(flows.items()):
        key = (_EVERY_MARKET, document)
        flows[key] = flows.get(key, 0) + count  # a flow has exactly one market
    markets: dict[ox.NamedNode, list[str]] = {}
    for market, document in sorted(flows, key=lambda k: k[0].value):
        if market != _EVERY_MARKET:
            markets.setdefault(document, []).append(market.value.removeprefix(str(CGV)))
    ranked = sorted(flows, key=lambda k: (k[0].value, names[k[1]]))
    rank, scope = 0, None
    for key in ranked:
        rank = rank + 1 if key[0] == scope else 1
        scope = key[0]
        listed = markets[key[1]] if scope == _EVERY_MARKET else [scope.value.removeprefix(str(CGV))]
        yield from _document_summary(scope, key[1], flows[key], rank, ", ".join(listed))


def _slug(market: ox.NamedNode) -> str:
    """The market's slug, or "" for an IRI outside the vocabulary (as SPARQL's STRAFTER)."""
    return market.value[len(str(CGV)) :] if market.value.startswith(str(CGV)) else ""


def pair_summaries(rows: Iterable[ox.QuerySolution]) -> Iterator[ox.Triple]:
    """Pair summaries from the rows of ``summaries/pairs.rq`` (place, other, market, flows): per
    pair of places, the flows naming both (summed over their markets: a flow has one) and the
    slugs of those markets, distinct, in order, joined by ", "."""
    flows: dict[tuple[ox.NamedNode, ox.NamedNode], int] = {}
    markets: dict[tuple[ox.NamedNode, ox.NamedNode], set[str]] = {}
    for row in rows:
        pair = (row["place"], row["other"])
        flows[pair] = flows.get(pair, 0) + int(row["flows"].value)
        markets.setdefault(pair, set()).add(_slug(row["market"]))
    for (place, other), count in sorted(
        flows.items(), key=lambda p: (p[0][0].value, p[0][1].value)
    ):
        local = f"{place.value.removeprefix(str(CGI))}/{other.value.removeprefix(str(CGI))}"
        node = _node(f"{CGI}summary/pair/{local}")
        listed = ", ".join(sorted(markets[(place, other)]))
        yield from [
            ox.Triple(node, _TYPE, _node(str(CG.PairSummary))),
            ox.Triple(node, _node(str(CG.summaryPlace)), place),
            ox.Triple(node, _node(str(CG.otherPlace)), other),
            ox.Triple(node, _node(str(CG.flowCount)), _integer(count)),
            ox.Triple(node, _node(str(CG.marketList)), ox.Literal(listed)),
        ]


@dataclass
class _FlowPlaces:
    """The codes of one flow's places by role: origins, destinations, transit stages by
    position; and the labels of its commodity."""

    commodity: set[str] = field(default_factory=set)
    origin: set[str] = field(default_factory=set)
    destination: set[str] = field(default_factory=set)
    transit: dict[int, set[str]] = field(default_factory=dict)


def flow_summaries(rows: Iterable[ox.QuerySolution]) -> Iterator[ox.Triple]:
    """Flow summaries from the rows of ``summaries/flows.rq`` (flow, role, position, code): per
    flow, its origins' and destinations' codes, distinct, in code-point order, joined by ", ",
    and its transit stages in order of position, each stage's codes distinct, in code-point
    order, joined by "/", the stages joined by " > " (as the flows-* canned queries list them);
    and each label of its commodity."""
    flows: dict[ox.NamedNode, _FlowPlaces] = {}
    for row in rows:
        places = flows.setdefault(row["flow"], _FlowPlaces())
        role, code = row["role"], row["code"]
        if role is None or code is None:
            continue  # a flow that names no place
        if role.value == "transit":
            places.transit.setdefault(int(row["position"].value), set()).add(code.value)
        else:
            getattr(places, role.value).add(code.value)
    for flow, places in sorted(flows.items(), key=lambda f: f[0].value):
        node = _node(f"{CGI}summary/flow/{flow.value.removeprefix(f'{CGI}flow/')}")
        stages = " > ".join("/".join(sorted(places.transit[p])) for p in sorted(places.transit))
        lists = {
            CG.originList: ", ".join(sorted(places.origin)),
            CG.transitList: stages,
            CG.destinationList: ", ".join(sorted(places.destination)),
        }
        yield ox.Triple(node, _TYPE, _node(str(CG.FlowSummary)))
        yield ox.Triple(node, _node(str(CG.summaryFlow)), flow)
        for predicate, listed in lists.items():
            yield ox.Triple(node, _node(str(predicate)), ox.Literal(listed))
        for label in sorted(places.commodity):
            yield ox.Triple(node, _node(str(CG.commodityLabel)), ox.Literal(label))


#: The scope of an actor summary that counts the flows naming any place.
_EVERY_PLACE = ox.NamedNode(str(CG.Place))


@dataclass
class _ActorFlow:
    """What an actor summary needs of one flow: its places (with their ISO3 codes, countries
    only) and the documents that state it."""

    places: set[ox.NamedNode] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)
    documents: set[ox.NamedNode] = field(default_factory=set)


def actor_summaries(rows: Iterable[ox.QuerySolution]) -> Iterator[ox.Triple]:
    """Actor summaries from the rows of ``summaries/actors.rq`` (actor, market, flow, place,
    code, document): per actor, market and scope (every place, ``cg:Place``, or one place the
    flows name), the distinct flows and documents and the country codes of the flows' places,
    distinct, in code-point order, joined by ", "."""
    flows: dict[tuple[ox.NamedNode, ox.NamedNode], dict[ox.NamedNode, _ActorFlow]] = {}
    for row in rows:
        flow = flows.setdefault((row["actor"], row["market"]), {}).setdefault(
            row["flow"], _ActorFlow()
        )
        flow.places.add(row["place"])
        flow.documents.add(row["document"])
        if row["code"] is not None:
            flow.codes.add(row["code"].value)
    for (actor, market), of_actor in sorted(
        flows.items(), key=lambda i: (i[0][0].value, i[0][1].value)
    ):
        scopes: dict[ox.NamedNode, list[_ActorFlow]] = {_EVERY_PLACE: list(of_actor.values())}
        for flow in of_actor.values():
            for place in flow.places:
                scopes.setdefault(place, []).append(flow)
        for scope, scoped in sorted(scopes.items(), key=lambda s: s[0].value):
            where = "places" if scope == _EVERY_PLACE else scope.value.removeprefix(str(CGI))
            actor_local = actor.value.removeprefix(f"{CGI}actor/")
            node = _node(f"{CGI}summary/actor/{_slug(market)}/{where}/{actor_local}")
            codes = sorted({c for f in scoped for c in f.codes})
            documents = {d for f in scoped for d in f.documents}
            yield from [
                ox.Triple(node, _TYPE, _node(str(CG.ActorSummary))),
                ox.Triple(node, _node(str(CG.summaryActor)), actor),
                ox.Triple(node, _node(str(CG.summaryMarket)), market),
                ox.Triple(node, _node(str(CG.summaryScope)), scope),
                ox.Triple(node, _node(str(CG.flowCount)), _integer(len(scoped))),
                ox.Triple(node, _node(str(CG.documentCount)), _integer(len(documents))),
                ox.Triple(node, _node(str(CG.countryList)), ox.Literal(", ".join(codes))),
            ]


#: Summary queries whose answer is rows, not triples: what makes the triples of their rows.
_FROM_ROWS: dict[str, Callable[[Iterable[ox.QuerySolution]], Iterator[ox.Triple]]] = {
    "actors": actor_summaries,
    "documents": document_summaries,
    "flows": flow_summaries,
    "pairs": pair_summaries,
}


def summary_triples(store: ox.Store) -> Iterator[ox.Triple]:
    """The summaries of the graph in ``store``'s default graph, as Oxigraph triples."""
    for name, text in summary_queries():
        answer = store.query(text)
        if isinstance(answer, ox.QueryTriples):
            yield from answer
        elif isinstance(answer, ox.QuerySolutions) and name in _FROM_ROWS:
            yield from _FROM_ROWS[name](answer)
        else:
            raise CrimegraphError(f"summary query {name}: an answer of unexpected kind")


def _rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise CrimegraphError(f"a summary query made an unexpected term {term!r}")


def has_summaries(g: Graph) -> bool:
    """True when ``g`` already holds summaries."""
    return any(
        (None, RDF.type, cls) in g
        for cls in (
            CG.MarketSummary,
            CG.PlaceSummary,
            CG.DocumentSummary,
            CG.TransitSummary,
            CG.PairSummary,
            CG.DestinationSummary,
            CG.ActorSummary,
            CG.FlowSummary,
        )
    )


def add_summaries(g: Graph) -> int:
    """Compute the summaries of ``g`` with Oxigraph and add them to ``g``; how many triples.

    A graph that holds summaries already is refused: its counts would be of an older graph.
    """
    if has_summaries(g):
        raise CrimegraphError("the graph holds summaries already")
    if store_name(g) == "oxigraph":
        store = oxigraph_store(g)
    else:  # through N-Triples: twice as fast as converting rdflib's terms one by one
        store = ox.Store()
        store.load(serialize(g, "nt").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    found = [
        (_rdflib_term(t.subject), _rdflib_term(t.predicate), _rdflib_term(t.object))
        for t in summary_triples(store)
    ]
    add_triples(g, found)
    return len(found)
