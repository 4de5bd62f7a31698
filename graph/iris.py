"""crimegraph's namespace IRIs as plain strings, importable without rdflib.

:mod:`graph.namespaces` builds rdflib ``Namespace`` objects from these; the read path over the
persistent store (:mod:`graph.storequery`) uses them directly, so that a query answered from
``out/store`` never pays for importing rdflib. One table, two views: the IRIs are defined here
only.

>>> PREFIX_IRIS["cgi"]
'https://w3id.org/crimegraph/id/'
>>> QUERY_PREFIX_IRIS["country"]
'https://w3id.org/crimegraph/id/country/'
>>> shorten("https://w3id.org/crimegraph/id/country/KAZ"), shorten(6.5)
('country:KAZ', 6.5)
>>> shorten("https://w3id.org/crimegraph/id/document/a%2Fb.txt")
'<https://w3id.org/crimegraph/id/document/a%2Fb.txt>'
"""

from __future__ import annotations

import re
from typing import Any

CG = "https://w3id.org/crimegraph/ontology#"
CGV = "https://w3id.org/crimegraph/vocab/"
CGI = "https://w3id.org/crimegraph/id/"
CGS = "https://w3id.org/crimegraph/shapes#"
GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
XSD = "http://www.w3.org/2001/XMLSchema#"
WD = "http://www.wikidata.org/entity/"

#: The prefixes every query may use without declaring them, by name.
PREFIX_IRIS: dict[str, str] = {
    "cg": CG,
    "cgv": CGV,
    "cgi": CGI,
    "cgs": CGS,
    "wd": WD,
    "geo": GEO,
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": XSD,
    "sh": "http://www.w3.org/ns/shacl#",
}

#: Kinds of instance IRI (``cgi:country/KAZ``) that get a prefix of their own in serialisations,
#: so Turtle reads ``country:KAZ cg:borders country:KGZ``.
INSTANCE_KINDS: tuple[str, ...] = (
    "country", "region", "place", "checkpoint", "document", "flow", "evidence", "commodity",
    "actor", "route", "observation", "rank", "facts", "reviewer",
)  # fmt: skip

#: What a query may use undeclared: the prefixes above and one per instance kind
#: (``country:KAZ``), which is how results print their IRIs so that they paste back.
QUERY_PREFIX_IRIS: dict[str, str] = {
    **PREFIX_IRIS,
    **{kind: f"{CGI}{kind}/" for kind in INSTANCE_KINDS},
}

# A local name that SPARQL and Turtle read without escapes (a subset of PN_LOCAL).
_PN_LOCAL = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?\Z")


def shorten(value: Any) -> Any:
    """An IRI as a prefixed name that pastes back into a query (``country:KAZ``,
    ``cgv:heroin-trade``), else as ``<IRI>``; values that are not IRIs unchanged.

    A value counts as an IRI when it holds ``://``.
    """
    if not isinstance(value, str) or "://" not in value or any(c in value for c in ' <>"{}|^`\\'):
        return value
    best: tuple[int, str] | None = None
    for prefix, ns in QUERY_PREFIX_IRIS.items():
        fits = value.startswith(ns) and _PN_LOCAL.match(value[len(ns) :])
        if fits and (best is None or len(ns) > best[0]):
            best = (len(ns), prefix)
    if best is None:
        return f"<{value}>"
    return f"{best[1]}:{value[best[0] :]}"
