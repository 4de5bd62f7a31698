"""crimegraph: a knowledge graph of transnational crime flows.

Documents (Organized Crime Index profiles, plain reports) become records
(:mod:`graph.records`), records become one RDF graph (:mod:`graph.rdf`), and the
RDF graph is projected into views (:mod:`graph.network`, HTML, tables).
"""

from graph.errors import CrimegraphError

__all__ = ["CrimegraphError", "__version__", "load"]
__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """``graph.load`` without importing it first: ``graph.load("out")`` opens a build
    (:func:`graph.load.load_build`)."""
    if name == "load":
        import importlib

        return importlib.import_module("graph.load")
    raise AttributeError(f"module 'graph' has no attribute {name!r}")
