"""An rdflib view of a build's persistent store, for readers that walk the graph term by term.

``draw`` (and any code written against rdflib's Graph API) reads a build directory through
:func:`reader_graph`: an rdflib Graph whose triples stay in the build's Oxigraph store, opened
read-only in milliseconds, instead of a Graph parsed from ``graph.nt`` (seconds). A graph file,
or a build whose store is unusable, is loaded as before (:func:`graph.load.load_graph`).
"""

from __future__ import annotations

import os
from pathlib import Path

from rdflib import Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from graph.diskstore import open_graph, store_problem
from graph.namespaces import bind_prefixes
from graph.store import CrimegraphOxigraphStore


class StoreGraph(Graph):
    """A read-only rdflib Graph on a build's store; it holds the build's read lock while alive."""

    def __init__(self, path: Path) -> None:
        self.opened = open_graph(path)
        store = CrimegraphOxigraphStore(store=self.opened.store)
        super().__init__(store=store, identifier=DATASET_DEFAULT_GRAPH_ID)
        bind_prefixes(self)


def reader_graph(path: str | os.PathLike[str]) -> Graph:
    """The graph at ``path`` for reading: on the build's store when it has a sound one."""
    p = Path(path)
    if p.is_dir() and store_problem(p) is None:
        return StoreGraph(p)
    from graph.load import load_graph

    return load_graph(p)
