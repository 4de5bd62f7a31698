"""``build`` checks its own output before writing it: documents and evidence must conform.

A build that merged documents (two files of one name) or attached a passage to two documents
used to exit 0 and only ``validate`` showed it. Here the document and evidence shapes of
``ontology/shapes.ttl`` are run (pySHACL) on the part of the graph they constrain, which takes
seconds rather than the minutes of a full validation, and the documents read are checked to be
as many document nodes. A failure stops the build with one line, before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF

from graph.errors import CrimegraphError
from graph.namespaces import CG, CGS

#: The shapes a build is checked against.
CHECKED_SHAPES: tuple[URIRef, ...] = (
    CGS.DocumentShape,
    CGS.EvidenceShape,
    CGS.ReviewedEvidenceShape,
)


def _described(g: Graph, roots: Iterable[URIRef]) -> Graph:
    """The triples of ``roots`` and of every blank node they lead to (their bounded
    description)."""
    out = Graph()
    todo = list(roots)
    seen: set[object] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for s, p, o in g.triples((node, None, None)):
            out.add((s, p, o))
            if isinstance(o, BNode):
                todo.append(o)  # type: ignore[arg-type]
    return out


def _data(g: Graph) -> Graph:
    """Documents and evidence with all their triples, and the classes of what they point to."""
    focus = [s for cls in (CG.Document, CG.Evidence) for s in g.subjects(RDF.type, cls)]
    data = Graph()
    for node in focus:
        for s, p, o in g.triples((node, None, None)):
            data.add((s, p, o))
            if p != RDF.type and not isinstance(o, BNode):
                for t in g.objects(o, RDF.type):
                    data.add((o, RDF.type, t))
    return data


def check_documents(g: Graph, names: Sequence[str]) -> None:
    """Raise CrimegraphError unless ``g`` has one document node per name read and its documents
    and evidence conform to :data:`CHECKED_SHAPES`."""
    from pyshacl import validate as shacl_validate

    from graph.validate import shapes_graph

    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise CrimegraphError(f"build check failed: two documents are named {twice[0]!r}")
    named = {str(o) for o in g.objects(None, CG.fileName)}
    missing = sorted(set(names) - named)
    if missing:
        raise CrimegraphError(f"build check failed: no document node for {missing[0]!r}")
    conforms, _, text = shacl_validate(
        _data(g),
        shacl_graph=_described(shapes_graph(), CHECKED_SHAPES),
        inference="none",
        advanced=True,
        inplace=True,
        allow_warnings=True,
    )
    if not conforms:
        lines = [line.strip() for line in str(text).splitlines() if "Message:" in line]
        first = lines[0].removeprefix("Message:").strip() if lines else "see crimegraph validate"
        raise CrimegraphError(
            f"build check failed: documents or evidence do not conform ({first}); nothing written"
        )
