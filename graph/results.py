"""SPARQL result formats: pick one from an HTTP ``Accept`` header, cut a result to a row limit,
and write it.

SELECT and ASK results go out as SPARQL JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE graphs as
Turtle, N-Triples, RDF/XML or JSON-LD. For rdflib's results, rdflib writes all of them but TSV,
written here after the W3C note (terms in Turtle syntax, tabs and newlines escaped);
``crimegraph serve`` answers with Oxigraph and writes with Oxigraph's own serialisers in the
same formats (:mod:`graph.oxresults`).

>>> negotiate("text/csv;q=0.5, application/sparql-results+xml", "SELECT").name
'xml'
>>> negotiate("*/*", "CONSTRUCT").media_type
'text/turtle'
>>> negotiate("text/csv", "CONSTRUCT") is None
True
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import islice
from typing import BinaryIO, cast

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.query import Result, ResultRow
from rdflib.term import Node

_TABLES = frozenset({"SELECT", "ASK"})
_GRAPHS = frozenset({"CONSTRUCT", "DESCRIBE"})


@dataclass(frozen=True)
class Format:
    """A result format: its short name, media type (and aliases), and the query kinds it carries."""

    name: str
    media_type: str
    kinds: frozenset[str]
    aliases: tuple[str, ...] = ()
    rdflib_name: str = ""

    def matches(self, media_range: str) -> int:
        """How well ``media_range`` names this format: 3 exactly, 2 ``type/*``, 1 ``*/*``,
        0 not at all."""
        types = (self.media_type, *self.aliases)
        if media_range in types:
            return 3
        if media_range.endswith("/*") and any(t.startswith(media_range[:-1]) for t in types):
            return 2
        return 1 if media_range == "*/*" else 0


#: The formats offered, the default of each query kind first.
FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", _TABLES, ("application/json",), "json"),
    Format(
        "xml", "application/sparql-results+xml", _TABLES, ("application/xml", "text/xml"), "xml"
    ),
    Format("csv", "text/csv", frozenset({"SELECT"}), (), "csv"),
    Format("tsv", "text/tab-separated-values", frozenset({"SELECT"})),
    Format("turtle", "text/turtle", _GRAPHS, ("application/x-turtle",), "turtle"),
    Format("nt", "application/n-triples", _GRAPHS, ("text/plain",), "nt"),
    Format("rdfxml", "application/rdf+xml", _GRAPHS, ("application/xml", "text/xml"), "xml"),
    Format("jsonld", "application/ld+json", _GRAPHS, ("application/json",), "json-ld"),
)


def _ranges(accept: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their quality, in the order given."""
    out = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            key, _, value = f.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        out.append((fields[0].lower(), q))
    return out


def negotiate(accept: str | None, kind: str, name: str | None = None) -> Format | None:
    """The format to answer a ``kind`` query in: the one ``name`` asks for (a short name or media
    type), else the best the Accept header allows; None when nothing acceptable fits."""
    offered = [f for f in FORMATS if kind in f.kinds]
    if name:
        wanted = name.strip().lower()
        return next((f for f in offered if wanted in (f.name, f.media_type, *f.aliases)), None)
    ranges = _ranges(accept or "*/*") or [("*/*", 1.0)]
    best: tuple[float, int, int] | None = None
    chosen = None
    for rank, fmt in enumerate(offered):
        scored = [(fmt.matches(r), q) for r, q in ranges if fmt.matches(r)]
        if not scored:
            continue
        specificity, q = max(scored)  # the most specific range that names the format rules
        key = (q, specificity, -rank)
        if q > 0 and (best is None or key > best):
            best, chosen = key, fmt
    return chosen


def limited(result: Result, rows: int) -> tuple[Result, bool]:
    """``result`` cut to ``rows`` rows (triples for a graph), and whether anything was cut."""
    if result.type == "ASK":
        return result, False
    if result.type in _GRAPHS:
        assert result.graph is not None
        triples = list(islice(result.graph, rows + 1))
        if len(triples) <= rows:
            return result, False
        cut = Result(result.type)
        cut.graph = Graph()
        for t in triples[:rows]:
            cut.graph.add(t)
        return cut, True
    variables = list(result.vars or [])
    kept = [
        {
            v: value
            for v, value in zip(variables, cast(ResultRow, row), strict=True)
            if value is not None
        }
        for row in islice(iter(result), rows + 1)
    ]
    cut = Result("SELECT")
    cut.vars = variables
    cut.bindings = kept[:rows]  # type: ignore[assignment]
    return cut, len(kept) > rows


def _tsv_term(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, Literal):
        text = (
            str(node)
            .replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\t", "\\t")
        )
        if node.language:
            return f'"{text}"@{node.language}'
        if node.datatype is not None:
            return f'"{text}"^^<{node.datatype}>'
        return f'"{text}"'
    if isinstance(node, URIRef | BNode):
        return node.n3()
    return str(node)


def to_tsv(result: Result) -> bytes:
    """A SELECT result in SPARQL TSV.

    >>> from rdflib import Graph, Literal, URIRef
    >>> g = Graph()
    >>> g.add((URIRef("http://e/a"), URIRef("http://e/p"), Literal("x\\ty")))
    <Graph identifier=... (<class 'rdflib.graph.Graph'>)>
    >>> to_tsv(g.query("SELECT ?s ?o { ?s ?p ?o }")).decode().splitlines()
    ['?s\\t?o', '<http://e/a>\\t"x\\\\ty"']
    """
    variables: list[Variable] = list(result.vars or [])
    lines = ["\t".join(f"?{v}" for v in variables)]
    for row in result:
        lines.append("\t".join(_tsv_term(value) for value in row))  # type: ignore[union-attr]
    return ("\n".join(lines) + "\n").encode("utf-8")


def serialize(result: Result, fmt: Format) -> bytes:
    """``result`` written in ``fmt``."""
    if fmt.name == "tsv":
        return to_tsv(result)
    if result.type in _GRAPHS:
        assert result.graph is not None
        return result.graph.serialize(format=fmt.rdflib_name, encoding="utf-8")
    out = result.serialize(format=fmt.rdflib_name, encoding="utf-8")
    assert out is not None
    return out


def _json_term(node: Node) -> dict[str, str]:
    if isinstance(node, Literal):
        out = {"type": "literal", "value": str(node)}
        if node.language:
            out["xml:lang"] = node.language
        elif node.datatype is not None:
            out["datatype"] = str(node.datatype)
        return out
    return {"type": "bnode" if isinstance(node, BNode) else "uri", "value": str(node)}


def _write_json_rows(result: Result, out: BinaryIO) -> None:
    """A SELECT result in SPARQL JSON, written row by row (rdflib builds the whole text first)."""
    variables = [str(v) for v in result.vars or []]
    out.write(b'{"head": {"vars": ' + json.dumps(variables).encode() + b'}, "results": {')
    out.write(b'"bindings": [')
    for i, row in enumerate(result):
        values = zip(variables, cast(ResultRow, row), strict=True)
        binding = {v: _json_term(value) for v, value in values if value is not None}
        out.write((", " if i else "").encode() + json.dumps(binding, ensure_ascii=False).encode())
    out.write(b"]}}")


def write(result: Result, fmt: Format, out: BinaryIO) -> None:
    """``result`` written in ``fmt`` to ``out`` as it goes, so that a writer that refuses more
    than so many bytes stops a large answer early.

    >>> import io
    >>> from rdflib import Graph, Literal, URIRef
    >>> g = Graph()
    >>> g.add((URIRef("http://e/a"), URIRef("http://e/p"), Literal("x")))
    <Graph identifier=... (<class 'rdflib.graph.Graph'>)>
    >>> out = io.BytesIO()
    >>> write(g.query("SELECT ?o { ?s ?p ?o }"), FORMATS[0], out)
    >>> json.loads(out.getvalue())["results"]["bindings"]
    [{'o': {'type': 'literal', 'value': 'x'}}]
    """
    if fmt.name == "tsv":
        out.write(to_tsv(result))
    elif fmt.name == "json" and result.type == "SELECT":
        _write_json_rows(result, out)
    elif result.type in _GRAPHS:
        assert result.graph is not None
        result.graph.serialize(destination=out, format=fmt.rdflib_name, encoding="utf-8")
    else:
        result.serialize(destination=out, format=fmt.rdflib_name, encoding="utf-8")
