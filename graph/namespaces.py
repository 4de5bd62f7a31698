"""The RDF namespaces of crimegraph and where its ontology files live.

Ontology terms are ``cg:`` (hash namespace), vocabulary concepts ``cgv:`` and instance data
``cgi:`` (slash namespaces, one path segment per kind: ``cgi:country/KAZ``, ``cgi:flow/3f2a…``).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS

#: The OWL ontology: classes and properties.
CG = Namespace("https://w3id.org/crimegraph/ontology#")
#: SKOS concepts of the Organized Crime Index (markets, actor types, resilience indicators).
CGV = Namespace("https://w3id.org/crimegraph/vocab/")
#: Instance data: countries, regions, documents, flows, observations.
CGI = Namespace("https://w3id.org/crimegraph/id/")
#: SHACL shapes.
CGS = Namespace("https://w3id.org/crimegraph/shapes#")
#: W3C WGS84 positions (``geo:lat``, ``geo:long``); rdflib's ``WGS`` uses a non-canonical https IRI.
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
#: XML Schema datatypes; a plain Namespace, as rdflib's ``XSD`` warns on every unknown attribute
#: (which pytest's doctest collection probes).
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
#: Wikidata entities, for owl:sameAs links of countries.
WD = Namespace("http://www.wikidata.org/entity/")

#: Folder of the Turtle files (ontology, vocabulary, shapes), beside the package.
ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY_PATH = ONTOLOGY_DIR / "crimegraph.ttl"
VOCABULARY_PATH = ONTOLOGY_DIR / "vocabulary.ttl"
SHAPES_PATH = ONTOLOGY_DIR / "shapes.ttl"

PREFIXES: dict[str, Namespace] = {
    "cg": CG,
    "cgv": CGV,
    "cgi": CGI,
    "cgs": CGS,
    "wd": WD,
    "geo": GEO,
    "prov": Namespace(str(PROV)),
    "skos": Namespace(str(SKOS)),
    "dcterms": Namespace(str(DCTERMS)),
    "owl": Namespace(str(OWL)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": XSD,
    "sh": Namespace(str(SH)),
}


#: Kinds of instance IRI (``cgi:country/KAZ``) that get a prefix of their own in serialisations,
#: so Turtle reads ``country:KAZ cg:borders country:KGZ``.
INSTANCE_KINDS: tuple[str, ...] = (
    "country", "region", "place", "checkpoint", "document", "flow", "evidence", "commodity",
    "actor", "route", "observation", "rank", "facts",
)  # fmt: skip


def bind_prefixes(g: Graph) -> Graph:
    """Bind the crimegraph prefixes on ``g`` (replacing rdflib's defaults) and return it."""
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    for kind in INSTANCE_KINDS:
        g.bind(kind, Namespace(f"{CGI}{kind}/"), override=True, replace=True)
    return g
