"""crimegraph: a knowledge graph of transnational crime flows.

Documents (Organized Crime Index profiles, plain reports) become records
(:mod:`graph.records`), records become one RDF graph (:mod:`graph.rdf`), and the
RDF graph is projected into views (:mod:`graph.network`, HTML, tables).
"""

from graph.errors import CrimegraphError

__all__ = ["CrimegraphError", "__version__"]
__version__ = "0.1.0"
