"""The indicators of the Organized Crime Index, read from ``ontology/vocabulary.ttl``.

Labels, definitions, groups and edition membership all come from the Turtle file (read once);
this module only indexes them. It also hands out the parsed ontology, for the naming tables
its classes carry (``cg:nameSuffix``).

>>> indicator("heroin-trade").broader
'drug-trade'
>>> by_label("  criminality SCORE ").slug
'criminality'
>>> len(markets(2021)), len(markets(2023))
(10, 15)
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SKOS

from graph.errors import CrimegraphError
from graph.namespaces import CG, CGV, ONTOLOGY_PATH, VOCABULARY_PATH

#: The editions of the Index the vocabulary covers.
EDITIONS: tuple[int, ...] = (2021, 2023)

#: The groups an indicator belongs to (``cg:indicatorGroup`` of its schemes).
GROUPS: tuple[str, ...] = ("aggregate", "market", "actor", "resilience")


@dataclass(frozen=True)
class Indicator:
    """A concept of the Index: a market, an actor type, a resilience indicator or an aggregate."""

    slug: str
    label: str
    group: str
    editions: frozenset[int]
    definition: str
    broader: str | None


@dataclass(frozen=True)
class _Vocabulary:
    """The indicators indexed by slug and by normalised label, in the Index's order."""

    ordered: tuple[Indicator, ...]
    by_slug: dict[str, Indicator]
    by_label: dict[str, Indicator]
    market_slugs: frozenset[str]


def _norm(label: str) -> str:
    """Case- and whitespace-insensitive key of a label."""
    return re.sub(r"\s+", " ", label).strip().casefold()


def _slug(iri: URIRef) -> str:
    return str(iri).removeprefix(str(CGV))


def _english(g: Graph, subject: URIRef, predicate: URIRef) -> str:
    value = g.value(subject, predicate)
    if not isinstance(value, Literal):
        raise CrimegraphError(f"{VOCABULARY_PATH.name}: {_slug(subject)} has no {predicate}")
    return str(value)


def parse_turtle(path: Path, what: str) -> Graph:
    """Parse one of the project's Turtle files; a broken file is a one-line CrimegraphError."""
    g = Graph()
    try:
        g.parse(path, format="turtle")
    except (OSError, SyntaxError) as exc:
        raise CrimegraphError(f"{path}: cannot read {what} ({exc})") from exc
    return g


@functools.cache
def vocabulary_graph() -> Graph:
    """The parsed SKOS vocabulary (cached; do not modify it, copy it with ``g += ...``)."""
    return parse_turtle(VOCABULARY_PATH, "vocabulary")


@functools.cache
def ontology_graph() -> Graph:
    """The parsed OWL ontology (cached; do not modify it)."""
    return parse_turtle(ONTOLOGY_PATH, "ontology")


@functools.cache
def _vocabulary() -> _Vocabulary:
    g = vocabulary_graph()
    order_head = g.value(CGV["index-order"], SKOS.memberList)
    if order_head is None:
        raise CrimegraphError(f"{VOCABULARY_PATH.name}: cgv:index-order has no skos:memberList")
    ordered_iris = [i for i in Collection(g, order_head) if isinstance(i, URIRef)]
    concepts = [c for c in g.subjects(RDF.type, SKOS.Concept) if isinstance(c, URIRef)]
    rank = {iri: n for n, iri in enumerate(ordered_iris)}
    concepts.sort(key=lambda c: (rank.get(c, len(rank)), str(c)))

    by_slug: dict[str, Indicator] = {}
    by_label: dict[str, Indicator] = {}
    for concept in concepts:
        schemes = list(g.objects(concept, SKOS.inScheme))
        groups = {str(gr) for s in schemes for gr in g.objects(s, CG.indicatorGroup)}
        editions = frozenset(int(str(e)) for s in schemes for e in g.objects(s, CG.edition))
        if len(groups) != 1:
            raise CrimegraphError(f"{VOCABULARY_PATH.name}: {_slug(concept)} has groups {groups}")
        broader = g.value(concept, SKOS.broader)
        ind = Indicator(
            slug=_slug(concept),
            label=_english(g, concept, SKOS.prefLabel),
            group=groups.pop(),
            editions=editions,
            definition=_english(g, concept, SKOS.definition),
            broader=_slug(broader) if isinstance(broader, URIRef) else None,
        )
        by_slug[ind.slug] = ind
        for label in [ind.label, *map(str, g.objects(concept, SKOS.altLabel))]:
            by_label[_norm(label)] = ind
    market_slugs = frozenset(
        _slug(c) for c in g.subjects(SKOS.inScheme, CGV.markets) if isinstance(c, URIRef)
    )
    ordered = tuple(by_slug[_slug(i)] for i in ordered_iris)
    return _Vocabulary(ordered, by_slug, by_label, market_slugs)


def _check_edition(edition: int) -> None:
    if edition not in EDITIONS:
        known = ", ".join(map(str, EDITIONS))
        raise CrimegraphError(f"unknown Organized Crime Index edition {edition} (known: {known})")


def indicators(edition: int | None = None) -> list[Indicator]:
    """The scored indicators, all or those of one edition, in the order the profiles print them.

    ``drug-trade`` is not scored by the Index, so it is not listed (``indicator`` knows it).
    """
    if edition is not None:
        _check_edition(edition)
    return [i for i in _vocabulary().ordered if edition is None or edition in i.editions]


def indicator(slug: str) -> Indicator:
    """The indicator (or ``drug-trade``) of a slug; raises CrimegraphError for an unknown one."""
    found = _vocabulary().by_slug.get(slug)
    if found is None:
        raise CrimegraphError(f"unknown indicator {slug!r}")
    return found


def by_label(label: str) -> Indicator | None:
    """The indicator a printed label names ("Heroin trade", "Resilience score"), else None."""
    return _vocabulary().by_label.get(_norm(label))


def markets(edition: int | None = 2023) -> list[Indicator]:
    """The criminal markets the Index scores in one edition (all editions for None)."""
    return [i for i in indicators(edition) if i.group == "market"]


def market_slugs() -> frozenset[str]:
    """Every slug a flow's market may take: the 15 markets and ``drug-trade``."""
    return _vocabulary().market_slugs
