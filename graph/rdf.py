"""Records → one rdflib graph in the crimegraph ontology (``ontology/crimegraph.ttl``).

IRIs are deterministic (country codes, slugs, hashes of a flow's content), so building the
same records twice gives the same graph. The IRI scheme is documented in ``ontology/README.md``.

A flow that several documents state is ONE ``cg:Flow`` with one ``cg:Evidence`` per passage
(each with its text, span, hedge and document): its IRI hashes :func:`merge_key`, which leaves the
document and the words out.

>>> from graph.records import DocumentFlows, Flow
>>> g = new_graph()
>>> flow = Flow("heroin-trade", "heroin", ["AFG"], ["KAZ"], ["RUS"], evidence="…")
>>> for name in ("a.txt", "b.txt"):
...     doc = add_document(g, Document(name, "report", "", subject="KAZ"))
...     [iri] = add_flows(g, DocumentFlows(name, "KAZ", [flow]), doc)
>>> str(iri).startswith("https://w3id.org/crimegraph/id/flow/")
True
>>> len(list(g.objects(iri, CG.evidence))), len(list(g.objects(iri, PROV.wasDerivedFrom)))
(2, 2)
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any, Protocol
from urllib.parse import quote, unquote

from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from graph.errors import CrimegraphError
from graph.namespaces import CG, CGI, CGV, GEO, WD, XSD, bind_prefixes
from graph.records import (
    Document,
    DocumentFlows,
    DocumentKind,
    Flow,
    Profile,
    Review,
    Stage,
)
from graph.reviewrdf import add_review
from graph.store import add_triples
from graph.store import new_graph as _store_graph
from graph.vocab import indicator, market_slugs, ontology_graph, vocabulary_graph

_ISO3 = re.compile(r"^[A-Z]{3}$")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


# --- the gazetteer, as this module reads it (graph/places.py provides it) -------------------


class CountryLike(Protocol):
    """A country of the gazetteer."""

    @property
    def iso3(self) -> str: ...
    @property
    def iso2(self) -> str | None: ...
    @property
    def name(self) -> str: ...
    @property
    def official_name(self) -> str | None: ...
    @property
    def names(self) -> Sequence[str]: ...
    @property
    def demonyms(self) -> Sequence[str]: ...
    @property
    def continent(self) -> str | None: ...
    @property
    def region(self) -> str | None: ...
    @property
    def lat(self) -> float | None: ...
    @property
    def lon(self) -> float | None: ...
    @property
    def neighbours(self) -> Iterable[str]: ...
    @property
    def wikidata(self) -> str | None: ...


class RegionLike(Protocol):
    """A region of the gazetteer."""

    @property
    def slug(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def parent(self) -> str | None: ...
    @property
    def members(self) -> Iterable[str]: ...
    @property
    def aliases(self) -> Iterable[str]: ...


class GazetteerLike(Protocol):
    """Countries by ISO3 code and regions by slug."""

    @property
    def countries(self) -> Mapping[str, CountryLike]: ...
    @property
    def regions(self) -> Mapping[str, RegionLike]: ...


# --- IRIs ------------------------------------------------------------------------------------


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens.

    >>> slugify("Chaldybar–Avtodorozhny")
    'chaldybar-avtodorozhny'
    >>> slugify("Chu (Shu) River")
    'chu-shu-river'
    >>> slugify("Côte d'Ivoire")
    'cote-d-ivoire'
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", bare).strip("-")


def _key(text: str) -> str:
    """The slug of a name, or a short hash of it when it has no ASCII letters or digits."""
    return slugify(text) or "h" + hashlib.sha256(text.encode()).hexdigest()[:12]


def _digest(*parts: object) -> str:
    blob = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=list)
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


def country_iri(iso3: str) -> URIRef:
    """``cgi:country/KAZ``."""
    if not _ISO3.match(iso3):
        raise CrimegraphError(f"not an ISO3 country code: {iso3!r}")
    return CGI[f"country/{iso3}"]


def region_iri(slug: str) -> URIRef:
    """``cgi:region/central-asia``."""
    if not _SLUG.match(slug):
        raise CrimegraphError(f"not a region slug: {slug!r}")
    return CGI[f"region/{slug}"]


def market_iri(slug: str) -> URIRef:
    """The SKOS concept of a market slug (``cgv:heroin-trade``); unknown slugs raise."""
    if slug not in market_slugs():
        raise CrimegraphError(f"unknown market {slug!r}")
    return CGV[slug]


def place_iri(code: str) -> URIRef:
    """The IRI of a place code of the flow spec: a country (ISO3) or a region (slug)."""
    return country_iri(code) if _ISO3.match(code) else region_iri(code)


def document_iri(name: str) -> URIRef:
    """``cgi:document/kazakhstan-ocindex-2021.txt`` (the name percent-encoded)."""
    return CGI["document/" + quote(name, safe="-._~")]


def merge_key(flow: Flow) -> tuple[object, ...]:
    """What makes two statements, from one document or several, the same flow.

    The market, the commodity's key (its slug, as its node's IRI), the stage chain with its
    roles (origins, each transit stage in order, destinations; places within a stage as a set),
    the route's key and the optional flag. Left out: the document, the words, the span and the
    hedge (they belong to each passage, a cg:Evidence) and the modes, checkpoints, named places
    and actors (detail a passage adds to the flow: merged flows carry them all).

    Why these: the same legs with the same roles in the same market is the issue's notion of one
    flow. Roles count, because "from AFG through KAZ" and "through AFG and KAZ" give the same legs
    but different origins. The commodity counts, because annotators keep "cannabis" and "hashish"
    from Kazakhstan to Russia as two flows, a flow has at most one commodity, and merging across
    labels would have to drop one. The route counts for the same reason (one route per flow).
    The optional flag counts, because a firm statement and a maybe-reading are different claims
    and one flow holds one flag. Sets and sorting make the key independent of listing order.

    >>> a = Flow("heroin-trade", "Heroin", ["AFG"], [["TJK", "KGZ"]], ["RUS"], evidence="x")
    >>> b = Flow("heroin-trade", "heroin", ["AFG"], [["KGZ", "TJK"]], ["RUS"], mode=["rail"])
    >>> merge_key(a) == merge_key(b)
    True
    >>> merge_key(a) == merge_key(Flow("heroin-trade", "heroin", [], ["AFG", "TJK"], ["RUS"]))
    False
    """
    stages = [sorted({stage} if isinstance(stage, str) else set(stage)) for stage in flow.transit]
    return (
        flow.market,
        _key(flow.commodity) if flow.commodity else "",
        sorted(set(flow.origin)),
        [stage for stage in stages if stage],
        sorted(set(flow.destination)),
        _key(flow.route) if flow.route else "",
        flow.optional,
    )


def flow_iri(flow: Flow) -> URIRef:
    """A hash of the flow's :func:`merge_key`: every statement of the same flow, one IRI."""
    return CGI[f"flow/{_digest(*merge_key(flow))}"]


def evidence_iri(document: str, text: str, span: tuple[int, int] | None) -> URIRef:
    """A hash of the document, the span and the words: one node per quoted passage."""
    return CGI[f"evidence/{_digest(document, span, text)}"]


def statement_evidence_iri(document: str, flow: Flow) -> URIRef:
    """The evidence node of one statement: the passage's (:func:`evidence_iri`), or for a
    statement a person reviewed one of its own, so machine-read flows of the same sentence keep
    theirs."""
    if flow.review is None:
        return evidence_iri(document, flow.evidence, flow.span)
    key = (document, flow.span, flow.evidence, "reviewed", merge_key(flow))
    return CGI[f"evidence/{_digest(*key)}"]


# --- graph construction -------------------------------------------------------------------

Triple = tuple[Node, Node, Node]


class TripleSink(Protocol):
    """Where the builders put triples: an rdflib Graph, or a set gathered for a bulk load."""

    def add(self, triple: Triple, /) -> Any: ...


def new_graph(store: str = "memory") -> Graph:
    """An empty graph on ``store`` (see :mod:`graph.store`) with the crimegraph prefixes bound."""
    return bind_prefixes(_store_graph(store))


@functools.lru_cache(maxsize=1 << 16)
def _decimal(value: float) -> Literal:
    """An ``xsd:decimal`` written as rdflib writes it ("33.0"; Oxigraph keeps the value, 33)."""
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


@functools.lru_cache(maxsize=1 << 16)
def _int(value: int) -> Literal:
    """An ``xsd:integer``: derived types (positiveInteger) would not survive an Oxigraph store,
    which keeps them as xsd:integer; the shapes bound the values instead."""
    return Literal(value, datatype=XSD.integer)


def _add_place(g: TripleSink, code: str) -> URIRef:
    """Type a place code's node (country or region) with its code; the reference adds the rest."""
    iri = place_iri(code)
    if _ISO3.match(code):
        g.add((iri, RDF.type, CG.Country))
        g.add((iri, CG.iso3, Literal(code)))
    else:
        g.add((iri, RDF.type, CG.Region))
        g.add((iri, CG.slug, Literal(code)))
    return iri


def _region_of(gazetteer: GazetteerLike, value: str | None) -> str | None:
    """The region slug a country's continent or region field names, if the gazetteer has it."""
    if not value:
        return None
    for candidate in (value, slugify(value)):
        if candidate in gazetteer.regions:
            return candidate
    return None


def add_reference(
    g: TripleSink, gazetteer: GazetteerLike, countries: Iterable[str] | None = None
) -> None:
    """Add countries (names, codes, position, regions, borders, Wikidata) and all regions.

    ``countries`` limits the countries to those ISO3 codes (None = all); borders are added
    only between countries that are added.
    """
    chosen = set(gazetteer.countries) if countries is None else set(countries)
    unknown = sorted(chosen - set(gazetteer.countries))
    if unknown:
        raise CrimegraphError(f"unknown country code(s): {', '.join(unknown)}")
    for region in gazetteer.regions.values():
        iri = _add_place(g, region.slug)
        g.add((iri, RDFS.label, Literal(region.name, lang="en")))
        g.add((iri, CG.regionKind, Literal(region.kind)))
        for alias in region.aliases:
            if alias != region.name:
                g.add((iri, SKOS.altLabel, Literal(alias, lang="en")))
        if region.parent and region.parent in gazetteer.regions:
            g.add((iri, CG.locatedIn, region_iri(region.parent)))
        for member in region.members:
            if member in chosen:
                g.add((country_iri(member), CG.locatedIn, iri))
            elif member in gazetteer.regions and member != region.slug:
                g.add((region_iri(member), CG.locatedIn, iri))
    for code in sorted(chosen):
        c = gazetteer.countries[code]
        iri = _add_place(g, c.iso3)
        g.add((iri, RDFS.label, Literal(c.name, lang="en")))
        if c.iso2:
            g.add((iri, CG.iso2, Literal(c.iso2)))
        if c.official_name:
            g.add((iri, CG.officialName, Literal(c.official_name, lang="en")))
        for name in c.names:
            if name != c.name:
                g.add((iri, SKOS.altLabel, Literal(name, lang="en")))
        for demonym in c.demonyms:
            g.add((iri, CG.demonym, Literal(demonym, lang="en")))
        if c.lat is not None and c.lon is not None:
            g.add((iri, GEO.lat, _decimal(c.lat)))
            g.add((iri, GEO.long, _decimal(c.lon)))
        for field_value in (c.continent, c.region):
            slug = _region_of(gazetteer, field_value)
            if slug is not None:
                g.add((iri, CG.locatedIn, region_iri(slug)))
        for neighbour in c.neighbours:
            if neighbour in chosen and neighbour != code:
                g.add((iri, CG.borders, country_iri(neighbour)))
                g.add((country_iri(neighbour), CG.borders, iri))
        if c.wikidata:
            g.add((iri, OWL.sameAs, WD[c.wikidata]))


def add_document(g: TripleSink, doc: Document) -> URIRef:
    """Add a document node (name, kind, title, edition, publisher, subject); return its IRI.

    A document read from a file also records what was read: the format, the SHA-256 of the
    file's bytes and of the text read, and, for a PDF, HTML or Word file, where the build keeps
    that text (:func:`graph.docnames.text_copy_name`).
    """
    iri = document_iri(doc.name)
    g.add((iri, RDF.type, CG.Document))
    g.add((iri, CG.fileName, Literal(doc.name)))
    g.add((iri, CG.documentKind, Literal(doc.kind)))
    if doc.title:
        g.add((iri, DCTERMS.title, Literal(doc.title)))
    if doc.year is not None:
        g.add((iri, CG.edition, _int(doc.year)))
    if doc.edition:
        g.add((iri, CG.editionLabel, Literal(doc.edition)))
    if doc.publisher:
        g.add((iri, DCTERMS.publisher, Literal(doc.publisher)))
    if doc.subject:
        g.add((iri, DCTERMS.subject, _add_place(g, doc.subject)))
    if doc.source_digest:
        _add_source(g, iri, doc)
    return iri


def _add_source(g: TripleSink, iri: URIRef, doc: Document) -> None:
    """The format, digests and text copy of a document read from a file."""
    from graph.digests import text_digest
    from graph.docnames import text_copy_name

    g.add((iri, CG.sourceDigest, Literal(doc.source_digest)))
    g.add((iri, CG.textDigest, Literal(text_digest(doc.text))))
    if doc.source_format:
        g.add((iri, CG.sourceFormat, Literal(doc.source_format)))
        if doc.source_format != "text":
            g.add((iri, CG.textFile, Literal(text_copy_name(doc.name))))


def add_profile(g: TripleSink, profile: Profile, doc_iri: URIRef) -> None:
    """Add a profile's country facts, its score observations (value, change) and its ranks."""
    country = _add_place(g, profile.iso3)
    base = f"{profile.iso3}-{profile.edition}"
    edition = _int(profile.edition)

    facts = CGI[f"facts/{base}"]
    g.add((facts, RDF.type, CG.CountryFacts))
    g.add((facts, CG.country, country))
    g.add((facts, CG.edition, edition))
    g.add((facts, PROV.wasDerivedFrom, doc_iri))
    f = profile.facts
    literals: list[tuple[URIRef, Literal | None]] = [
        (CG.capital, Literal(f.capital) if f.capital else None),
        (CG.incomeGroup, Literal(f.income_group) if f.income_group else None),
        (
            CG.population,
            _int(f.population) if f.population is not None else None,
        ),
        (CG.areaKm2, _decimal(f.area_km2) if f.area_km2 is not None else None),
        (CG.geographyType, Literal(f.geography_type) if f.geography_type else None),
        (CG.gdp, Literal(f.gdp) if f.gdp else None),
        (CG.gini, _decimal(f.gini) if f.gini is not None else None),
    ]
    for predicate, value in literals:
        if value is not None:
            g.add((facts, predicate, value))

    add_scores(g, profile.iso3, profile.edition, profile.scores, doc_iri, profile.changes)

    for score_slug, by_scope in profile.ranks.items():
        indicator(score_slug)
        for scope, rank in by_scope.items():
            node = CGI[f"rank/{base}-{score_slug}-{scope}"]
            g.add((node, RDF.type, CG.Rank))
            g.add((node, CG.country, country))
            g.add((node, CG.edition, edition))
            g.add((node, CG.rankedScore, CGV[score_slug]))
            g.add((node, CG.scope, Literal(scope)))
            g.add((node, CG.rankPosition, _int(rank.position)))
            g.add((node, CG.outOf, _int(rank.out_of)))
            g.add((node, CG.rankGroup, Literal(rank.group)))
            if rank.change is not None:
                g.add((node, CG.change, _int(rank.change)))
            g.add((node, PROV.wasDerivedFrom, doc_iri))


def add_scores(
    g: TripleSink,
    iso3: str,
    edition: int,
    scores: Mapping[str, float],
    doc_iri: URIRef,
    changes: Mapping[str, float | None] | None = None,
) -> None:
    """Add one score observation per indicator slug of ``scores`` for a country and edition.

    The observation's IRI is country-edition-indicator, so a profile and the Index's workbook
    that give the same score meet in one node derived from both documents.
    """
    country = _add_place(g, iso3)
    for slug, score in scores.items():
        indicator(slug)  # an unknown indicator slug is an error, not a silent IRI
        obs = CGI[f"observation/{iso3}-{edition}-{slug}"]
        g.add((obs, RDF.type, CG.ScoreObservation))
        g.add((obs, CG.country, country))
        g.add((obs, CG.indicator, CGV[slug]))
        g.add((obs, CG.edition, _int(edition)))
        g.add((obs, CG.value, _decimal(score)))
        change = (changes or {}).get(slug)
        if change is not None:
            g.add((obs, CG.change, _decimal(change)))
        g.add((obs, PROV.wasDerivedFrom, doc_iri))


def add_dataset(
    g: TripleSink, name: str, *, title: str, edition: int, publisher: str | None = None
) -> URIRef:
    """Add a document node of kind ``dataset`` (a sheet of scores, not a text); return its IRI."""
    iri = document_iri(name)
    g.add((iri, RDF.type, CG.Document))
    g.add((iri, CG.fileName, Literal(name)))
    g.add((iri, CG.documentKind, Literal("dataset")))
    g.add((iri, DCTERMS.title, Literal(title)))
    g.add((iri, CG.edition, _int(edition)))
    g.add((iri, CG.editionLabel, Literal(str(edition))))
    if publisher:
        g.add((iri, DCTERMS.publisher, Literal(publisher)))
    return iri


# --- naming tables: which class a place name is, which actor type an actor name is ----------


@functools.cache
def _place_kinds() -> dict[str, URIRef]:
    """Last word of a place name → its class, from ``cg:nameSuffix`` in the ontology."""
    g = ontology_graph()
    return {
        str(suffix).casefold(): cls
        for cls, suffix in g.subject_objects(CG.nameSuffix)
        if isinstance(cls, URIRef)
    }


@functools.cache
def _actor_cues() -> dict[str, frozenset[URIRef]]:
    """A word of an actor name → the actor types it marks, from ``cg:nameCue``."""
    cues: dict[str, set[URIRef]] = {}
    for concept, cue in vocabulary_graph().subject_objects(CG.nameCue):
        if isinstance(concept, URIRef):
            cues.setdefault(str(cue).casefold(), set()).add(concept)
    return {word: frozenset(types) for word, types in cues.items()}


def _words(name: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", name.casefold())


def place_kind(name: str) -> URIRef:
    """The class of a sub-national place name: by its last word, else cg:SubnationalPlace.

    >>> [place_kind(n).split("#")[-1] for n in ("Chu Valley", "Chu (Shu) River", "Ural region")]
    ['Valley', 'River', 'SubnationalPlace']
    """
    words = _words(name)
    return _place_kinds().get(words[-1], CG.SubnationalPlace) if words else CG.SubnationalPlace


def actor_types(name: str, foreign_words: frozenset[str] = frozenset()) -> set[URIRef]:
    """The actor types an actor name marks; a word of ``foreign_words`` marks a foreign actor.

    >>> sorted(t.split("/")[-1] for t in actor_types("Chinese Triads", frozenset({"chinese"})))
    ['foreign-actors', 'mafia-style-groups']
    """
    found: set[URIRef] = set()
    for word in _words(name):
        found |= _actor_cues().get(word, frozenset())
        if word in foreign_words:
            found.add(CGV["foreign-actors"])
    return found


def _foreign_words(gazetteer: GazetteerLike | None, subject: str | None) -> frozenset[str]:
    """Demonyms and one-word names of every country but the subject, lower-cased."""
    if gazetteer is None:
        return frozenset()
    words: set[str] = set()
    for code, c in gazetteer.countries.items():
        if code == subject:
            continue
        for name in [*c.demonyms, c.name]:
            parts = _words(name)
            if len(parts) == 1:
                words.add(parts[0])
    home = gazetteer.countries.get(subject) if subject else None
    if home is not None:
        words -= {w for name in [*home.demonyms, *home.names] for w in _words(name)}
    return frozenset(words)


class _ForeignWordsBySubject:
    """:func:`_foreign_words` remembered per subject, for a build of many documents."""

    def __init__(self, gazetteer: GazetteerLike | None) -> None:
        self.gazetteer = gazetteer
        self._memo: dict[str | None, frozenset[str]] = {}

    def __call__(self, subject: str | None) -> frozenset[str]:
        if subject not in self._memo:
            self._memo[subject] = _foreign_words(self.gazetteer, subject)
        return self._memo[subject]


# --- flows ------------------------------------------------------------------------------------


def _countries(codes: Iterable[str]) -> list[str]:
    return [c for c in codes if _ISO3.match(c)]


def _cross_border_pairs(flow: Flow) -> set[frozenset[str]]:
    """The unordered country pairs of the flow's legs between two different countries."""
    return {
        frozenset((leg.source, leg.target))
        for leg in flow.legs()
        if _ISO3.match(leg.source) and _ISO3.match(leg.target)
    }


def _home_countries(flow: Flow, subject: str | None) -> list[str]:
    """Where a place the flow names lies: the document's subject, else the flow's one country."""
    if subject:
        return [subject]
    countries = sorted(set(_countries(flow.place_codes())))
    return countries if len(countries) == 1 else []


def named_iri(kind: str, name: str) -> URIRef:
    """The IRI of a named node: ``cgi:checkpoint/kaindy-avtodorozhny``, ``cgi:commodity/heroin``."""
    return CGI[f"{kind}/{_key(name)}"]


def _named_node(g: TripleSink, kind: str, cls: URIRef, name: str) -> URIRef:
    iri = named_iri(kind, name)
    g.add((iri, RDF.type, cls))
    g.add((iri, RDFS.label, Literal(name)))
    g.add((iri, CG.slug, Literal(_key(name))))
    return iri


def _add_flow_node(g: TripleSink, iri: URIRef, flow: Flow) -> None:
    """What the merge key fixes: the flow's type, market, commodity, places by role, route."""
    market = market_iri(flow.market)
    g.add((iri, RDF.type, CG.Flow))
    g.add((iri, CG.market, market))
    if flow.commodity:
        commodity = _named_node(g, "commodity", CG.Commodity, flow.commodity)
        g.add((commodity, CG.market, market))
        g.add((iri, CG.commodity, commodity))
    for code in flow.origin:
        g.add((iri, CG.origin, _add_place(g, code)))
    for code in flow.destination:
        g.add((iri, CG.destination, _add_place(g, code)))
    stages = [[stage] if isinstance(stage, str) else stage for stage in flow.transit]
    for position, stage in enumerate([s for s in stages if s], start=1):
        node = URIRef(f"{iri}-stage-{position}")
        g.add((iri, CG.transit, node))
        g.add((node, RDF.type, CG.TransitStage))
        g.add((node, CG.position, _int(position)))
        for code in stage:
            g.add((node, CG.stagePlace, _add_place(g, code)))
    if flow.route:
        g.add((iri, CG.route, _named_node(g, "route", CG.Route, flow.route)))
    if flow.optional:
        g.add((iri, CG.optional, Literal(True)))


def _add_flow(
    g: TripleSink,
    document: str,
    subject: str | None,
    flow: Flow,
    doc_iri: URIRef,
    foreign: frozenset[str],
    done: set[tuple[URIRef, str, str | None]] | None = None,
) -> URIRef:
    """Add one statement of a flow: the flow node (unless ``done`` holds it), the detail this
    statement adds, its evidence and its document."""
    iri = flow_iri(flow)
    seen = (iri, flow.commodity, flow.route)
    if done is None or seen not in done:
        _add_flow_node(g, iri, flow)
        if done is not None:
            done.add(seen)
    g.add((iri, PROV.wasDerivedFrom, doc_iri))
    for mode in flow.mode:
        g.add((iri, CG.mode, Literal(mode)))
    home = _home_countries(flow, subject)
    for name in flow.places:
        place = _named_node(g, "place", place_kind(name), name)
        g.add((iri, CG.namedPlace, place))
        for code in home:
            g.add((place, CG.locatedIn, _add_place(g, code)))
    pairs = _cross_border_pairs(flow) if flow.checkpoints else set()
    for name in flow.checkpoints:
        checkpoint = _named_node(g, "checkpoint", CG.BorderCheckpoint, name)
        g.add((iri, CG.checkpoint, checkpoint))
        if len(pairs) == 1:
            for code in sorted(next(iter(pairs))):
                g.add((checkpoint, CG.onBorderOf, _add_place(g, code)))
        else:
            for code in home:
                g.add((checkpoint, CG.locatedIn, _add_place(g, code)))
    for name in flow.actors:
        actor = _named_node(g, "actor", CG.Actor, name)
        g.add((iri, CG.actor, actor))
        for actor_type in actor_types(name, foreign):
            g.add((actor, CG.actorType, actor_type))

    evidence = statement_evidence_iri(document, flow)
    g.add((iri, CG.evidence, evidence))
    g.add((evidence, RDF.type, CG.Evidence))
    g.add((evidence, CG.text, Literal(flow.evidence)))
    if flow.span is not None:
        g.add((evidence, CG.start, _int(flow.span[0])))
        g.add((evidence, CG.end, _int(flow.span[1])))
    g.add((evidence, PROV.wasQuotedFrom, doc_iri))
    if flow.hedge:
        g.add((evidence, CG.hedge, Literal(flow.hedge)))
    if flow.review is not None:
        review = flow.review
        add_review(g, iri, evidence, review.reviewer, review.time, review.action)
    return iri


def add_flows(
    g: TripleSink,
    flows: DocumentFlows,
    doc_iri: URIRef,
    *,
    gazetteer: GazetteerLike | None = None,
) -> list[URIRef]:
    """Add each flow as a cg:Flow with its stages, places, actors and evidence; return the IRIs.

    A flow already in ``g`` (same :func:`merge_key`, from this or another document) gains one
    more evidence and source document instead of a second node. With a ``gazetteer``, an actor
    named with another country's demonym ("Chinese Triads" in a Kazakhstan profile) is also
    typed as a foreign actor.
    """
    return _add_document_flows(g, flows, doc_iri, _ForeignWordsBySubject(gazetteer))


def _add_document_flows(
    g: TripleSink,
    flows: DocumentFlows,
    doc_iri: URIRef,
    foreign: _ForeignWordsBySubject,
    done: set[tuple[URIRef, str, str | None]] | None = None,
) -> list[URIRef]:
    words = foreign(flows.subject)
    out: list[URIRef] = []
    for n, flow in enumerate(flows.flows, start=1):
        try:
            out.append(_add_flow(g, flows.document, flows.subject, flow, doc_iri, words, done))
        except CrimegraphError as exc:
            raise CrimegraphError(f"{flows.document}: flow {n}: {exc}") from exc
    return out


def build_graph(
    documents: Sequence[Document],
    profiles: Sequence[Profile],
    flows: Sequence[DocumentFlows],
    *,
    include_vocabulary: bool = True,
    store: str = "memory",
) -> Graph:
    """Documents, profiles and flows → one graph, with every country and region of the gazetteer.

    A profile or flow file whose document is not among ``documents`` gets a document node of
    its own (kind ``profile`` or ``report``). Flows stated by several documents are merged
    (:func:`merge_key`). The triples are gathered first and loaded into ``store`` in one go;
    then the summaries of the flows are computed and added (:mod:`graph.summary`).
    """
    from graph.places import load_gazetteer

    gazetteer = load_gazetteer()
    triples: set[Triple] = set()
    add_reference(triples, gazetteer)
    doc_iris = {doc.name: add_document(triples, doc) for doc in documents}

    def doc_iri(name: str, kind: DocumentKind, subject: str | None) -> URIRef:
        if name not in doc_iris:
            doc_iris[name] = add_document(triples, Document(name, kind, "", subject=subject))
        return doc_iris[name]

    for profile in profiles:
        add_profile(triples, profile, doc_iri(profile.document, "profile", profile.iso3))
    foreign = _ForeignWordsBySubject(gazetteer)
    done: set[tuple[URIRef, str, str | None]] = set()
    for document_flows in flows:
        iri = doc_iri(document_flows.document, "report", document_flows.subject)
        _add_document_flows(triples, document_flows, iri, foreign, done)
    from graph.enrich import enrich  # issue 13: series, passages, borders, precursors, seas

    enrich(triples, documents, flows, gazetteer)
    g = new_graph(store)
    add_triples(g, triples)
    if include_vocabulary:
        add_triples(g, vocabulary_graph())
    from graph.summary import add_summaries  # counts per market, place, document: once, here

    add_summaries(g)
    return g


# --- reading back -------------------------------------------------------------------------------


def _code(g: Graph, place: Node) -> str:
    """The place code of a country or region node."""
    value = g.value(place, CG.iso3) or g.value(place, CG.slug)
    if value is None:
        raise CrimegraphError(f"place {place} has no ISO3 code or slug")
    return str(value)


def _labels(g: Graph, flow: Node, predicate: URIRef) -> list[str]:
    return sorted(str(g.value(node, RDFS.label)) for node in g.objects(flow, predicate))


def _chain(g: Graph, iri: Node) -> Flow:
    """A flow node's market and stage chain only (what its legs need)."""
    stages: list[tuple[int, Stage]] = []
    for stage in g.objects(iri, CG.transit):
        places = sorted(_code(g, p) for p in g.objects(stage, CG.stagePlace))
        position = int(str(g.value(stage, CG.position)))
        stages.append((position, places[0] if len(places) == 1 else places))
    return Flow(
        market=str(g.value(iri, CG.market)).removeprefix(str(CGV)),
        commodity="",
        origin=sorted(_code(g, p) for p in g.objects(iri, CG.origin)),
        transit=[stage for _, stage in sorted(stages, key=lambda s: s[0])],
        destination=sorted(_code(g, p) for p in g.objects(iri, CG.destination)),
    )


def _read_flow(g: Graph, iri: Node) -> Flow:
    """What a flow node states, whoever states it (no evidence: that is per passage)."""
    commodity = g.value(iri, CG.commodity)
    route = g.value(iri, CG.route)
    return replace(
        _chain(g, iri),
        commodity=str(g.value(commodity, RDFS.label)) if commodity is not None else "",
        route=str(g.value(route, RDFS.label)) if route is not None else None,
        mode=sorted(str(m) for m in g.objects(iri, CG.mode)),
        checkpoints=_labels(g, iri, CG.checkpoint),
        places=_labels(g, iri, CG.namedPlace),
        actors=_labels(g, iri, CG.actor),
        optional=bool(g.value(iri, CG.optional)),
    )


def _document_name(g: Graph, doc: Node) -> str:
    return str(g.value(doc, CG.fileName) or unquote(str(doc).rsplit("/", 1)[-1]))


def _review(g: Graph, evidence: Node) -> Review | None:
    """Who reviewed a statement, when and how, if a person did."""
    agent = g.value(evidence, PROV.wasAttributedTo)
    if agent is None:
        return None
    time, action = g.value(evidence, PROV.generatedAtTime), g.value(evidence, CG.reviewAction)
    return Review(
        str(g.value(agent, RDFS.label) or ""),
        str(time or ""),
        str(action or "").removeprefix(str(CG)),
    )


def _statements(g: Graph, iri: Node, shared: Flow) -> list[tuple[Node | None, Flow]]:
    """(document, record) for each passage stating the flow: the shared flow + its evidence."""
    out: list[tuple[Node | None, Flow]] = []
    for evidence in g.objects(iri, CG.evidence):
        start, end = g.value(evidence, CG.start), g.value(evidence, CG.end)
        hedge = g.value(evidence, CG.hedge)
        record = replace(
            shared,
            evidence=str(g.value(evidence, CG.text) or ""),
            span=(int(str(start)), int(str(end)))
            if start is not None and end is not None
            else None,
            hedge=str(hedge) if hedge is not None else None,
            review=_review(g, evidence),
        )
        doc = g.value(evidence, PROV.wasQuotedFrom) or g.value(iri, PROV.wasDerivedFrom)
        out.append((doc, record))
    if not out:
        out = [(doc, shared) for doc in g.objects(iri, PROV.wasDerivedFrom)] or [(None, shared)]
    return out


def flows_from_graph(g: Graph) -> list[DocumentFlows]:
    """Read the flows back, per document: one record for each passage a document states a flow in.

    A record holds the passage's evidence, span and hedge, and the flow's shared fields (list
    fields sorted). A merged flow's modes, checkpoints, places and actors are those gathered
    from every document that states it, so a document's record may hold more than it said.
    """
    by_doc: dict[str, DocumentFlows] = {}
    keyed: dict[str, list[tuple[tuple[int, str, str], Flow]]] = {}
    for iri in set(g.subjects(RDF.type, CG.Flow)):
        shared = _read_flow(g, iri)
        for doc, record in _statements(g, iri, shared):
            name = _document_name(g, doc) if doc is not None else ""
            if name not in by_doc:
                subject = g.value(g.value(doc, DCTERMS.subject), CG.iso3) if doc else None
                by_doc[name] = DocumentFlows(name, str(subject) if subject is not None else None)
            order = ((record.span or (-1, -1))[0], str(iri), record.evidence)
            keyed.setdefault(name, []).append((order, record))
    for name, items in keyed.items():
        by_doc[name].flows = [flow for _, flow in sorted(items, key=lambda item: item[0])]
    return [by_doc[name] for name in sorted(by_doc)]


def counts(g: Graph) -> dict[str, int]:
    """What a graph holds: documents, countries named by flows or scores, flows (merged: one per
    :func:`merge_key`), evidence passages, distinct legs (market, from, to), score observations
    and triples."""
    flows = set(g.subjects(RDF.type, CG.Flow))
    legs = {leg for iri in flows for leg in _chain(g, iri).legs()}
    named: set[Node] = set()
    for predicate in (CG.origin, CG.destination, CG.stagePlace, CG.country):
        named |= {o for o in g.objects(None, predicate) if (o, RDF.type, CG.Country) in g}
    return {
        "documents": len(set(g.subjects(RDF.type, CG.Document))),
        "countries": len(named),
        "flows": len(flows),
        "evidence": len(set(g.subjects(RDF.type, CG.Evidence))),
        "legs": len(legs),
        "observations": len(set(g.subjects(RDF.type, CG.ScoreObservation))),
        "triples": len(g),
    }
