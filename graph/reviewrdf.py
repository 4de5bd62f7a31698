"""A reviewed flow statement in RDF: PROV attribution to the reviewer, with the time and action.

A statement a person accepted, corrected or added (:class:`graph.records.Review`) gets an evidence
node of its own, so that a machine-read flow stated in the same sentence keeps a machine-read
evidence. The evidence and the flow are ``prov:wasAttributedTo`` the reviewer, a ``prov:Agent``
named by ``rdfs:label``; the evidence carries ``prov:generatedAtTime`` and ``cg:reviewAction``.
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any, Protocol

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from graph.errors import CrimegraphError
from graph.namespaces import CG, CGI, XSD


class _Sink(Protocol):
    def add(self, triple: tuple[Any, Any, Any], /) -> Any: ...


def reviewer_iri(name: str) -> URIRef:
    """``cgi:reviewer/<hash>`` of the reviewer's name with case and spacing set aside.

    >>> reviewer_iri("Ana  Analyst") == reviewer_iri("ana analyst")
    True
    """
    key = " ".join(name.split()).casefold()
    return CGI[f"reviewer/{hashlib.sha256(key.encode()).hexdigest()[:20]}"]


@functools.cache
def review_actions() -> frozenset[str]:
    """The review actions the ontology defines (``cg:accepted``…), by local name."""
    from graph.vocab import ontology_graph

    g = ontology_graph()
    return frozenset(str(s).removeprefix(str(CG)) for s in g.subjects(RDF.type, CG.ReviewAction))


def add_review(
    g: _Sink, flow: URIRef, evidence: URIRef, reviewer: str, time: str, action: str
) -> None:
    """Attribute one statement (its ``evidence``) and its ``flow`` to ``reviewer`` at ``time``."""
    if action not in review_actions():
        known = ", ".join(sorted(review_actions()))
        raise CrimegraphError(f"unknown review action {action!r} (known: {known})")
    agent = reviewer_iri(reviewer)
    g.add((agent, RDF.type, PROV.Agent))
    g.add((agent, RDF.type, PROV.Person))
    g.add((agent, RDFS.label, Literal(" ".join(reviewer.split()))))
    g.add((flow, PROV.wasAttributedTo, agent))
    g.add((evidence, PROV.wasAttributedTo, agent))
    g.add((evidence, PROV.generatedAtTime, Literal(time, datatype=XSD.dateTime)))
    g.add((evidence, CG.reviewAction, CG[action]))
