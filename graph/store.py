"""Where a graph's triples live: rdflib's in-memory store or an Oxigraph store, behind one API.

Both are an rdflib :class:`~rdflib.Graph`, so every reader (``g.value``, ``g.query``, SPARQL
through :mod:`graph.query`, the NetworkX projection) works on either. An Oxigraph graph keeps its
triples in the store's default graph, is filled in bulk (:func:`add_triples`) and is written by
Oxigraph's own serialisers (:func:`serialize`), which is where its speed shows.

>>> g = new_graph("oxigraph")
>>> from rdflib import URIRef
>>> add_triples(g, [(URIRef("urn:a"), URIRef("urn:p"), URIRef("urn:b"))])
>>> store_name(g), len(g)
('oxigraph', 1)
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
from oxrdflib.store import OxigraphStore
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.query import Result
from rdflib.term import Identifier, Node, Variable

from graph.errors import CrimegraphError
from graph.namespaces import INSTANCE_KINDS, PREFIXES, bind_prefixes
from graph.querytext import bind_values

#: The stores a graph can be built in.
STORES: tuple[str, ...] = ("oxigraph", "memory")

#: The store ``crimegraph build`` uses unless told otherwise (see docs/performance.md).
DEFAULT_STORE = "oxigraph"

#: Serialisation formats Oxigraph writes itself, by rdflib format name.
_NATIVE_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "json-ld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}

#: The prefixes an Oxigraph dump declares: crimegraph's own (it writes every prefix it is given).
_OWN_PREFIXES = frozenset(PREFIXES) | frozenset(INSTANCE_KINDS)

Triple = tuple[Node, Node, Node]


_XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")


def _plain(node: Node) -> Node:
    """A simple literal as rdflib makes it: Oxigraph returns ``"x"`` typed ``xsd:string``, and
    rdflib holds ``Literal("x")`` and ``Literal("x", datatype=XSD.string)`` for different terms."""
    if isinstance(node, Literal) and node.datatype == _XSD_STRING:
        return Literal(str(node))
    return node


class CrimegraphOxigraphStore(OxigraphStore):
    """oxrdflib's Oxigraph store, reading back the same terms rdflib's store holds (simple
    literals untyped) and binding ``initBindings`` as rdflib does (before matching, as a VALUES
    block in every group that mentions the variable: :func:`graph.querytext.bind_values`)."""

    def triples(
        self, triple_pattern: Any, context: Graph | None = None
    ) -> Iterator[tuple[Triple, Iterator[Graph | None]]]:
        for (s, p, o), contexts in super().triples(triple_pattern, context):
            yield (s, p, _plain(o)), contexts

    def query(
        self,
        query: Any,
        initNs: Mapping[str, Any],
        initBindings: Mapping[str, Identifier],
        queryGraph: str,
        **kwargs: object,
    ) -> Result:
        if initBindings and isinstance(query, str):
            query, initBindings = bind_values(query, initBindings), {}
        result: Result = super().query(query, initNs, initBindings, queryGraph, **kwargs)
        if result.type == "SELECT":
            rows: list[Mapping[Variable, Identifier]] = [
                {k: cast(Identifier, _plain(v)) for k, v in row.items()} for row in result.bindings
            ]
            result.bindings = rows
        elif result.graph is not None:
            plain = Graph()
            plain.addN((s, p, _plain(o), plain) for s, p, o in result.graph)
            result.graph = plain
        return result


def check_store(name: str) -> str:
    """``name`` if it is a known store; raises CrimegraphError naming the known ones."""
    if name not in STORES:
        raise CrimegraphError(f"unknown store {name!r} (known: {', '.join(STORES)})")
    return name


def new_graph(store: str = DEFAULT_STORE) -> Graph:
    """An empty graph on ``store`` ("memory" or "oxigraph") with the crimegraph prefixes bound."""
    if check_store(store) == "memory":
        return bind_prefixes(Graph())
    oxigraph = CrimegraphOxigraphStore()
    return bind_prefixes(Graph(store=oxigraph, identifier=DATASET_DEFAULT_GRAPH_ID))


def store_name(g: Graph) -> str:
    """Which store ``g`` lives on: "oxigraph" or "memory" (any rdflib store)."""
    return "oxigraph" if isinstance(g.store, OxigraphStore) else "memory"


def oxigraph_store(g: Graph) -> ox.Store:
    """The pyoxigraph store under an Oxigraph-backed graph, for native queries and dumps."""
    if not isinstance(g.store, OxigraphStore):
        raise CrimegraphError("this graph is not on an Oxigraph store")
    return g.store._inner


class _OxTerms:
    """rdflib → pyoxigraph terms, remembering IRIs (a graph repeats few of them many times)."""

    def __init__(self) -> None:
        self._iris: dict[str, ox.NamedNode] = {}

    def iri(self, value: str) -> ox.NamedNode:
        node = self._iris.get(value)
        if node is None:
            node = self._iris[value] = ox.NamedNode(value)
        return node

    def term(self, node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(node, URIRef):
            return self.iri(node)
        if isinstance(node, BNode):
            return ox.BlankNode(str(node))
        if isinstance(node, Literal):
            if node.language:
                return ox.Literal(str(node), language=node.language)
            datatype = self.iri(node.datatype) if node.datatype else None
            return ox.Literal(str(node), datatype=datatype)
        raise CrimegraphError(f"cannot store RDF term {node!r}")

    def quad(self, triple: Triple) -> ox.Quad:
        s, p, o = triple
        subject = self.term(s)
        if isinstance(subject, ox.Literal) or not isinstance(p, URIRef):
            raise CrimegraphError(f"not an RDF triple: {triple!r}")
        return ox.Quad(subject, self.iri(p), self.term(o), ox.DefaultGraph())


#: Triples converted and inserted per batch on Oxigraph: big enough to amortise the call,
#: small enough that the converted copies never hold much memory.
BATCH = 50_000


def add_triples(g: Graph, triples: Iterable[Triple]) -> None:
    """Add many triples at once: batched bulk inserts on Oxigraph, rdflib's ``addN`` otherwise."""
    if isinstance(g.store, OxigraphStore):
        terms, inner = _OxTerms(), oxigraph_store(g)
        batch: list[ox.Quad] = []
        for triple in triples:
            batch.append(terms.quad(triple))
            if len(batch) >= BATCH:
                inner.extend(batch)
                batch = []
        inner.extend(batch)
    else:
        g.addN((s, p, o, g) for s, p, o in triples)


def copy_graph(g: Graph, store: str) -> Graph:
    """A copy of ``g`` on ``store``, with the same prefixes."""
    out = new_graph(store)
    add_triples(out, g)
    for prefix, namespace in g.namespaces():
        out.bind(prefix, namespace, override=True, replace=True)
    return out


def serialize(g: Graph, fmt: str) -> str:
    """``g`` as text in ``fmt`` (turtle, nt, json-ld, xml); Oxigraph graphs use its own writer."""
    if isinstance(g.store, OxigraphStore) and fmt in _NATIVE_FORMATS:
        data = oxigraph_store(g).dump(
            format=_NATIVE_FORMATS[fmt],
            from_graph=ox.DefaultGraph(),
            prefixes={p: str(ns) for p, ns in g.namespaces() if p in _OWN_PREFIXES},
        )
        return data.decode("utf-8") if data is not None else ""
    return g.serialize(format=fmt)


def parse_into(g: Graph, path: str | os.PathLike[str], fmt: str) -> None:
    """Parse a graph file into ``g``: Oxigraph's bulk loader on Oxigraph, rdflib's parser else."""
    if isinstance(g.store, OxigraphStore) and fmt in _NATIVE_FORMATS:
        oxigraph_store(g).bulk_load(
            path=str(Path(path)), format=_NATIVE_FORMATS[fmt], to_graph=ox.DefaultGraph()
        )
    else:
        g.parse(str(path), format=fmt)


def load(path: str | os.PathLike[str], store: str = DEFAULT_STORE) -> Graph:
    """A graph file (Turtle, N-Triples, JSON-LD, RDF/XML) or a build directory, on ``store``."""
    from graph.load import FORMATS, graph_file, load_graph

    if check_store(store) == "memory":
        return load_graph(path)
    p = graph_file(path)
    fmt = FORMATS.get(p.suffix.lower())
    if fmt not in _NATIVE_FORMATS:
        return copy_graph(load_graph(p), store)
    g = new_graph(store)
    try:
        parse_into(g, p, fmt)
    except (OSError, SyntaxError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CrimegraphError(f"{p}: not a valid {fmt} graph ({first[:200]})") from exc
    return g
