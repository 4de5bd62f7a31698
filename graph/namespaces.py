"""The RDF namespaces of crimegraph and where its ontology files live.

Ontology terms are ``cg:`` (hash namespace), vocabulary concepts ``cgv:`` and instance data
``cgi:`` (slash namespaces, one path segment per kind: ``cgi:country/KAZ``, ``cgi:flow/3f2a…``).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Namespace

from graph import iris
from graph.iris import INSTANCE_KINDS as INSTANCE_KINDS

#: The OWL ontology: classes and properties.
CG = Namespace(iris.CG)
#: SKOS concepts of the Organized Crime Index (markets, actor types, resilience indicators).
CGV = Namespace(iris.CGV)
#: Instance data: countries, regions, documents, flows, observations.
CGI = Namespace(iris.CGI)
#: SHACL shapes.
CGS = Namespace(iris.CGS)
#: W3C WGS84 positions (``geo:lat``, ``geo:long``); rdflib's ``WGS`` uses a non-canonical https IRI.
GEO = Namespace(iris.GEO)
#: XML Schema datatypes; a plain Namespace, as rdflib's ``XSD`` warns on every unknown attribute
#: (which pytest's doctest collection probes).
XSD = Namespace(iris.XSD)
#: Wikidata entities, for owl:sameAs links of countries.
WD = Namespace(iris.WD)

#: Folder of the Turtle files (ontology, vocabulary, shapes), beside the package.
ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY_PATH = ONTOLOGY_DIR / "crimegraph.ttl"
VOCABULARY_PATH = ONTOLOGY_DIR / "vocabulary.ttl"
SHAPES_PATH = ONTOLOGY_DIR / "shapes.ttl"

#: The crimegraph prefixes, bound in every graph it writes.
PREFIXES: dict[str, Namespace] = {p: Namespace(ns) for p, ns in iris.PREFIX_IRIS.items()}

#: The prefixes a query may use undeclared: :data:`PREFIXES` and one per instance kind.
QUERY_PREFIXES: dict[str, Namespace] = {
    p: Namespace(ns) for p, ns in iris.QUERY_PREFIX_IRIS.items()
}


def bind_prefixes(g: Graph) -> Graph:
    """Bind the crimegraph prefixes on ``g`` (replacing rdflib's defaults) and return it."""
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    for kind in INSTANCE_KINDS:
        g.bind(kind, Namespace(f"{CGI}{kind}/"), override=True, replace=True)
    return g
