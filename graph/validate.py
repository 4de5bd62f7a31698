"""Check a crimegraph RDF graph against the SHACL shapes of ``ontology/shapes.ttl`` (pySHACL).

The data graph is validated together with the ontology and the vocabulary (in a copy), so the
class hierarchy (a ``cg:Country`` is a ``cg:Place``) and the market concepts with their schemes
resolve even in a graph built without the vocabulary. pySHACL's own ``ont_graph`` mixing copies
only RDFS/OWL axioms, not SKOS scheme membership, hence the explicit union. Shapes and
ontology are parsed once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from graph.errors import CrimegraphError
from graph.namespaces import SHAPES_PATH, bind_prefixes
from graph.vocab import ontology_graph, parse_turtle, vocabulary_graph

Severity = TypingLiteral["Violation", "Warning", "Info"]


@dataclass(frozen=True)
class Violation:
    """One validation result, readable: the node, the property path, the shape's message."""

    focus: str
    path: str | None
    message: str
    severity: Severity = "Violation"
    value: str | None = None

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"{self.severity}: {self.focus}{where}: {self.message}"


@dataclass
class ValidationResult:
    """pySHACL's outcome: conformance, the report graph and text, and the results, readable."""

    conforms: bool
    report_graph: Graph
    text: str
    violations: list[Violation] = field(default_factory=list)
    warnings: list[Violation] = field(default_factory=list)


@functools.cache
def shapes_graph() -> Graph:
    """The SHACL shapes (cached; do not modify)."""
    return parse_turtle(SHAPES_PATH, "SHACL shapes")


@functools.cache
def _background() -> Graph:
    """The OWL ontology and the SKOS vocabulary together (cached)."""
    g = Graph()
    g += ontology_graph()
    g += vocabulary_graph()
    return g


def validate(data_graph: Graph) -> ValidationResult:
    """Validate ``data_graph`` against the shapes; warnings are reported but do not fail it.

    >>> from rdflib import Graph
    >>> validate(Graph()).conforms
    True
    """
    combined = Graph()
    combined += data_graph
    combined += _background()
    conforms, report, text = shacl_validate(
        combined,
        shacl_graph=shapes_graph(),
        inference="none",
        advanced=True,
        inplace=True,
        allow_warnings=True,
    )
    if not isinstance(report, Graph):
        raise CrimegraphError("pySHACL returned no report graph")
    bind_prefixes(report)
    results = sorted(set(_results(report)), key=lambda v: (v.focus, v.path or "", v.message))
    return ValidationResult(
        conforms=bool(conforms),
        report_graph=report,
        text=str(text),
        violations=[v for v in results if v.severity == "Violation"],
        warnings=[v for v in results if v.severity != "Violation"],
    )


def _results(report: Graph) -> list[Violation]:
    """The top-level results of the report (not the nested ``sh:detail`` ones)."""
    out: list[Violation] = []
    for result in report.objects(None, SH.result):
        severity = report.value(result, SH.resultSeverity)
        messages = [str(m) for m in report.objects(result, SH.resultMessage)]
        value = report.value(result, SH.value)
        path = report.value(result, SH.resultPath)
        out.append(
            Violation(
                focus=_short(report, report.value(result, SH.focusNode)),
                path=_path(report, path) if path is not None else None,
                message=messages[0] if messages else "constraint not met",
                severity=_severity(severity),
                value=_short(report, value) if value is not None else None,
            )
        )
    return out


def _severity(node: Node | None) -> Severity:
    if node == SH.Warning:
        return "Warning"
    if node == SH.Info:
        return "Info"
    return "Violation"


def _short(g: Graph, node: Node | None) -> str:
    """An IRI with its namespace as a prefix (``cgi:country/KAZ``), a literal quoted."""
    if isinstance(node, URIRef):
        for prefix, ns in g.namespace_manager.namespaces():
            if prefix and node.startswith(ns) and len(node) > len(ns):
                return f"{prefix}:{node[len(ns) :]}"
        return f"<{node}>"
    if isinstance(node, Literal):
        return repr(str(node))
    return "[]" if node is None else f"_:{node}"


def _path(g: Graph, path: Node) -> str:
    """A SHACL property path in SPARQL syntax: ``cg:market``, ``(cg:origin|cg:destination)``."""
    if isinstance(path, BNode):
        alternatives = g.value(path, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(_path(g, p) for p in Collection(g, alternatives)) + ")"
        inverse = g.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + _path(g, inverse)
        if g.value(path, RDF.first) is not None:
            return "/".join(_path(g, p) for p in Collection(g, path))
    return _short(g, path)
