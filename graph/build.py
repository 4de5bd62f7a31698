"""Build one RDF graph from documents and flow files, and write it in every output format."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from rdflib import Graph

from graph import rdf
from graph.documents import DATA_DIR, LoadedDocument, load_document
from graph.errors import CrimegraphError
from graph.evaluate import pair_documents
from graph.fileio import atomic_write, ensure_writable_dir, read_document
from graph.network import flatten_for_export, to_networkx
from graph.records import Document, DocumentFlows, Profile

#: The outputs ``crimegraph build`` writes, by file name.
OUTPUT_FILES = ("graph.ttl", "graph.jsonld", "graph.nt", "graph.graphml", "graph.gexf")


@dataclass
class BuildError:
    """A document that could not be read, and why."""

    document: str
    message: str


@dataclass
class BuildResult:
    """The built graph and the records it was built from."""

    graph: Graph
    documents: list[Document] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)
    flows: list[DocumentFlows] = field(default_factory=list)
    errors: list[BuildError] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """What the graph holds: documents, countries, flows, legs, observations, triples."""
        return rdf.counts(self.graph)


def bundled_documents(data_dir: Path = DATA_DIR) -> list[Path]:
    """Every document bundled in ``data/``: the profiles and the plain-report corpus."""
    docs = sorted((data_dir / "documents").glob("*.txt"))
    docs += sorted((data_dir / "corpus").rglob("*.txt"))
    return docs


def read_flow_file(path: str | os.PathLike[str]) -> DocumentFlows:
    """Read a flow file in the format of ``spec/flows.md`` (what ``crimegraph extract`` prints)."""
    text = read_document(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CrimegraphError(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("flows"), list):
        raise CrimegraphError(f"{path}: not a flow file (no 'flows' list)")
    try:
        return DocumentFlows.from_dict(data)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise CrimegraphError(f"{path}: malformed flow record ({exc})") from exc


def build(
    paths: Sequence[str | os.PathLike[str]],
    *,
    flow_files: Sequence[str | os.PathLike[str]] = (),
    extract: bool = True,
    on_error: Callable[[BuildError], None] | None = None,
) -> BuildResult:
    """Documents → records → one RDF graph.

    Each document is parsed (profile scores and facts) and its flows extracted, unless a flow
    file names it: then that file's flows are used instead. A document that cannot be read is
    reported in ``errors`` (and to ``on_error``) and the build goes on with the rest.
    """
    loaded: list[LoadedDocument] = []
    errors: list[BuildError] = []
    for p in paths:
        try:
            loaded.append(load_document(p))
        except CrimegraphError as exc:
            err = BuildError(str(p), str(exc))
            errors.append(err)
            if on_error is not None:
                on_error(err)
    given = [read_flow_file(f) for f in flow_files]
    documents = [item.document for item in loaded]
    by_doc: dict[str, DocumentFlows] = {}
    candidates = [DocumentFlows(d.name, d.subject) for d in documents]
    for stated in given:
        match = pair_documents([stated], candidates)[0][1]
        if match is None:
            # A flow file for a document that was not given: keep its flows under its own name.
            stub = Document(name=stated.document, kind="report", text="", subject=stated.subject)
            documents.append(stub)
            by_doc[stated.document] = stated
        else:
            subject = stated.subject or match.subject
            by_doc[match.document] = DocumentFlows(match.document, subject, stated.flows)
    pending = [item for item in loaded if item.document.name not in by_doc]
    if extract and pending:
        from graph.extract import extract_document

        for item in pending:
            by_doc[item.document.name] = extract_document(item.document, item.profile)
    profiles = [item.profile for item in loaded if item.profile is not None]
    flows = [by_doc[d.name] for d in documents if d.name in by_doc]
    g = rdf.build_graph(documents, profiles, flows)
    return BuildResult(graph=g, documents=documents, profiles=profiles, flows=flows, errors=errors)


def write_outputs(g: Graph, out_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """Write Turtle, JSON-LD, N-Triples, GraphML and GEXF into ``out_dir``, each atomically."""
    out = ensure_writable_dir(out_dir)
    written: dict[str, Path] = {}
    for name, fmt in (("graph.ttl", "turtle"), ("graph.jsonld", "json-ld"), ("graph.nt", "nt")):
        with atomic_write(out / name) as fh:
            fh.write(g.serialize(format=fmt))
        written[name] = out / name
    flat = flatten_for_export(to_networkx(g))
    with atomic_write(out / "graph.graphml", "wb") as fb:
        nx.write_graphml(flat, fb)
    written["graph.graphml"] = out / "graph.graphml"
    with atomic_write(out / "graph.gexf", "wb") as fb:
        nx.write_gexf(flat, fb)
    written["graph.gexf"] = out / "graph.gexf"
    return written
