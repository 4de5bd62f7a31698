"""Load a built graph from a file or a build directory, with one-line errors for bad input.

The module is callable: ``graph.load("out")`` is :func:`load_build`, the way notebooks and
scripts open what ``make run`` built.
"""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path

from rdflib import Graph

from graph.errors import CrimegraphError

#: rdflib parser names by file suffix.
FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".trig": "trig",
    ".nq": "nquads",
}

#: In a build directory, the file read first (N-Triples parses fastest).
BUILD_FILES = ("graph.nt", "graph.ttl", "graph.jsonld")


def graph_file(path: str | os.PathLike[str]) -> Path:
    """The graph file a path names: the file itself, or the graph in a build directory."""
    p = Path(path)
    if p.is_dir():
        for name in BUILD_FILES:
            if (p / name).is_file():
                return p / name
        raise CrimegraphError(f"{p}: no graph.nt, graph.ttl or graph.jsonld in this directory")
    if not p.exists():
        raise CrimegraphError(f"{p}: no such file")
    return p


def load_graph(path: str | os.PathLike[str]) -> Graph:
    """Parse a Turtle, N-Triples, JSON-LD or RDF/XML file (or a build directory) into a Graph."""
    p = graph_file(path)
    fmt = FORMATS.get(p.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise CrimegraphError(f"{p}: unknown graph format '{p.suffix}' (known: {known})")
    if p.stat().st_size == 0:
        raise CrimegraphError(f"{p}: empty file")
    g = Graph()
    try:
        g.parse(p, format=fmt)
    except Exception as exc:  # rdflib raises many parser-specific types
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CrimegraphError(f"{p}: not a valid {fmt} graph ({first[:200]})") from exc
    return g


def load_build(path: str | os.PathLike[str] = "out") -> Graph:
    """The graph a build wrote (a build directory, or a graph file), everything in it: flows
    with their evidence, the 193 countries' scores of both editions, the vocabulary.

    It is loaded into an in-memory Oxigraph store (about a second for the bundled graph), so
    its SPARQL runs on Oxigraph while every rdflib reader works on it; changes to it stay in
    memory. Raises CrimegraphError (one line) for a missing or broken graph.
    """
    from graph.store import load

    return load(path, "oxigraph")


class _CallableModule(types.ModuleType):
    """This module, callable as :func:`load_build`."""

    def __call__(self, path: str | os.PathLike[str] = "out") -> Graph:
        return load_build(path)


sys.modules[__name__].__class__ = _CallableModule
