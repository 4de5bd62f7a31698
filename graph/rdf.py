"""Records → one rdflib graph in the crimegraph ontology (``ontology/crimegraph.ttl``).

IRIs are deterministic (country codes, slugs, hashes of a flow's content), so building the
same records twice gives the same graph. The IRI scheme is documented in ``ontology/README.md``.

>>> from graph.records import DocumentFlows, Flow
>>> g = new_graph()
>>> doc = add_document(g, Document("k.txt", "profile", "", subject="KAZ"))
>>> flow = Flow("heroin-trade", "heroin", ["AFG"], ["KAZ"], ["RUS"], evidence="…")
>>> [iri] = add_flows(g, DocumentFlows("k.txt", "KAZ", [flow]), doc)
>>> str(iri).startswith("https://w3id.org/crimegraph/id/flow/")
True
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Protocol
from urllib.parse import quote, unquote

from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from graph.errors import CrimegraphError
from graph.namespaces import CG, CGI, CGV, GEO, WD, XSD, bind_prefixes
from graph.records import Document, DocumentFlows, DocumentKind, Flow, Profile, Stage
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


def flow_iri(document: str, flow: Flow) -> URIRef:
    """A hash of the document and what the flow states: same record, same IRI."""
    content = (
        document,
        flow.market,
        flow.commodity,
        flow.origin,
        flow.transit,
        flow.destination,
        flow.span,
        flow.evidence,
    )
    return CGI[f"flow/{_digest(*content)}"]


def evidence_iri(document: str, text: str, span: tuple[int, int] | None) -> URIRef:
    """A hash of the document, the span and the words: one node per quoted passage."""
    return CGI[f"evidence/{_digest(document, span, text)}"]


# --- graph construction -------------------------------------------------------------------


def new_graph() -> Graph:
    """An empty graph with the crimegraph prefixes bound."""
    return bind_prefixes(Graph())


def _decimal(value: float) -> Literal:
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


def _int(value: int, datatype: URIRef = XSD.integer) -> Literal:
    return Literal(value, datatype=datatype)


def _add_place(g: Graph, code: str) -> URIRef:
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
    g: Graph, gazetteer: GazetteerLike, countries: Iterable[str] | None = None
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


def add_document(g: Graph, doc: Document) -> URIRef:
    """Add a document node (name, kind, title, edition, publisher, subject); return its IRI."""
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
    return iri


def add_profile(g: Graph, profile: Profile, doc_iri: URIRef) -> None:
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
            _int(f.population, XSD.nonNegativeInteger) if f.population is not None else None,
        ),
        (CG.areaKm2, _decimal(f.area_km2) if f.area_km2 is not None else None),
        (CG.geographyType, Literal(f.geography_type) if f.geography_type else None),
        (CG.gdp, Literal(f.gdp) if f.gdp else None),
        (CG.gini, _decimal(f.gini) if f.gini is not None else None),
    ]
    for predicate, value in literals:
        if value is not None:
            g.add((facts, predicate, value))

    for slug, score in profile.scores.items():
        indicator(slug)  # an unknown indicator slug is an error, not a silent IRI
        obs = CGI[f"observation/{base}-{slug}"]
        g.add((obs, RDF.type, CG.ScoreObservation))
        g.add((obs, CG.country, country))
        g.add((obs, CG.indicator, CGV[slug]))
        g.add((obs, CG.edition, edition))
        g.add((obs, CG.value, _decimal(score)))
        change = profile.changes.get(slug)
        if change is not None:
            g.add((obs, CG.change, _decimal(change)))
        g.add((obs, PROV.wasDerivedFrom, doc_iri))

    for score_slug, by_scope in profile.ranks.items():
        indicator(score_slug)
        for scope, rank in by_scope.items():
            node = CGI[f"rank/{base}-{score_slug}-{scope}"]
            g.add((node, RDF.type, CG.Rank))
            g.add((node, CG.country, country))
            g.add((node, CG.edition, edition))
            g.add((node, CG.rankedScore, CGV[score_slug]))
            g.add((node, CG.scope, Literal(scope)))
            g.add((node, CG.rankPosition, _int(rank.position, XSD.positiveInteger)))
            g.add((node, CG.outOf, _int(rank.out_of, XSD.positiveInteger)))
            g.add((node, CG.rankGroup, Literal(rank.group)))
            if rank.change is not None:
                g.add((node, CG.change, _int(rank.change)))
            g.add((node, PROV.wasDerivedFrom, doc_iri))


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


def _named_node(g: Graph, kind: str, cls: URIRef, name: str) -> URIRef:
    iri = CGI[f"{kind}/{_key(name)}"]
    g.add((iri, RDF.type, cls))
    g.add((iri, RDFS.label, Literal(name)))
    g.add((iri, CG.slug, Literal(_key(name))))
    return iri


def _add_flow(
    g: Graph,
    document: str,
    subject: str | None,
    flow: Flow,
    doc_iri: URIRef,
    foreign: frozenset[str],
) -> URIRef:
    iri = flow_iri(document, flow)
    market = market_iri(flow.market)
    g.add((iri, RDF.type, CG.Flow))
    g.add((iri, CG.market, market))
    g.add((iri, PROV.wasDerivedFrom, doc_iri))
    if flow.commodity:
        commodity = _named_node(g, "commodity", CG.Commodity, flow.commodity)
        g.add((commodity, CG.market, market))
        g.add((iri, CG.commodity, commodity))
    for code in flow.origin:
        g.add((iri, CG.origin, _add_place(g, code)))
    for code in flow.destination:
        g.add((iri, CG.destination, _add_place(g, code)))
    for position, stage in enumerate(flow.transit, start=1):
        node = URIRef(f"{iri}-stage-{position}")
        g.add((iri, CG.transit, node))
        g.add((node, RDF.type, CG.TransitStage))
        g.add((node, CG.position, _int(position, XSD.positiveInteger)))
        for code in [stage] if isinstance(stage, str) else stage:
            g.add((node, CG.stagePlace, _add_place(g, code)))
    if flow.route:
        g.add((iri, CG.route, _named_node(g, "route", CG.Route, flow.route)))
    for mode in flow.mode:
        g.add((iri, CG.mode, Literal(mode)))
    home = _home_countries(flow, subject)
    for name in flow.places:
        place = _named_node(g, "place", place_kind(name), name)
        g.add((iri, CG.namedPlace, place))
        for code in home:
            g.add((place, CG.locatedIn, _add_place(g, code)))
    pairs = _cross_border_pairs(flow)
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
    if flow.optional:
        g.add((iri, CG.optional, Literal(True)))

    evidence = evidence_iri(document, flow.evidence, flow.span)
    g.add((iri, CG.evidence, evidence))
    g.add((evidence, RDF.type, CG.Evidence))
    g.add((evidence, CG.text, Literal(flow.evidence)))
    if flow.span is not None:
        g.add((evidence, CG.start, _int(flow.span[0], XSD.nonNegativeInteger)))
        g.add((evidence, CG.end, _int(flow.span[1], XSD.nonNegativeInteger)))
    g.add((evidence, PROV.wasQuotedFrom, doc_iri))
    if flow.hedge:
        g.add((evidence, CG.hedge, Literal(flow.hedge)))
    return iri


def add_flows(
    g: Graph,
    flows: DocumentFlows,
    doc_iri: URIRef,
    *,
    gazetteer: GazetteerLike | None = None,
) -> list[URIRef]:
    """Add each flow as a cg:Flow with its stages, places, actors and evidence; return the IRIs.

    With a ``gazetteer``, an actor named with another country's demonym ("Chinese Triads" in a
    Kazakhstan profile) is also typed as a foreign actor.
    """
    foreign = _foreign_words(gazetteer, flows.subject)
    out: list[URIRef] = []
    for n, flow in enumerate(flows.flows, start=1):
        try:
            out.append(_add_flow(g, flows.document, flows.subject, flow, doc_iri, foreign))
        except CrimegraphError as exc:
            raise CrimegraphError(f"{flows.document}: flow {n}: {exc}") from exc
    return out


def build_graph(
    documents: Sequence[Document],
    profiles: Sequence[Profile],
    flows: Sequence[DocumentFlows],
    *,
    include_vocabulary: bool = True,
) -> Graph:
    """Documents, profiles and flows → one graph, with every country and region of the gazetteer.

    A profile or flow file whose document is not among ``documents`` gets a document node of
    its own (kind ``profile`` or ``report``).
    """
    from graph.places import load_gazetteer

    gazetteer = load_gazetteer()
    g = new_graph()
    add_reference(g, gazetteer)
    doc_iris = {doc.name: add_document(g, doc) for doc in documents}

    def doc_iri(name: str, kind: DocumentKind, subject: str | None) -> URIRef:
        if name not in doc_iris:
            doc_iris[name] = add_document(g, Document(name, kind, "", subject=subject))
        return doc_iris[name]

    for profile in profiles:
        add_profile(g, profile, doc_iri(profile.document, "profile", profile.iso3))
    for document_flows in flows:
        iri = doc_iri(document_flows.document, "report", document_flows.subject)
        add_flows(g, document_flows, iri, gazetteer=gazetteer)
    if include_vocabulary:
        g += vocabulary_graph()
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


def _read_flow(g: Graph, iri: Node) -> Flow:
    market = g.value(iri, CG.market)
    commodity = g.value(iri, CG.commodity)
    stages: list[tuple[int, Stage]] = []
    for stage in g.objects(iri, CG.transit):
        places = sorted(_code(g, p) for p in g.objects(stage, CG.stagePlace))
        position = int(str(g.value(stage, CG.position)))
        stages.append((position, places[0] if len(places) == 1 else places))
    evidences = sorted(
        g.objects(iri, CG.evidence), key=lambda e: (int(str(g.value(e, CG.start) or 0)), str(e))
    )
    evidence = evidences[0] if evidences else None
    start = g.value(evidence, CG.start) if evidence is not None else None
    end = g.value(evidence, CG.end) if evidence is not None else None
    route = g.value(iri, CG.route)
    hedge = g.value(evidence, CG.hedge) if evidence is not None else None
    return Flow(
        market=str(market).removeprefix(str(CGV)),
        commodity=str(g.value(commodity, RDFS.label)) if commodity is not None else "",
        origin=sorted(_code(g, p) for p in g.objects(iri, CG.origin)),
        transit=[stage for _, stage in sorted(stages, key=lambda s: s[0])],
        destination=sorted(_code(g, p) for p in g.objects(iri, CG.destination)),
        route=str(g.value(route, RDFS.label)) if route is not None else None,
        mode=sorted(str(m) for m in g.objects(iri, CG.mode)),
        checkpoints=_labels(g, iri, CG.checkpoint),
        places=_labels(g, iri, CG.namedPlace),
        actors=_labels(g, iri, CG.actor),
        evidence=str(g.value(evidence, CG.text) or "") if evidence is not None else "",
        span=(int(str(start)), int(str(end))) if start is not None and end is not None else None,
        hedge=str(hedge) if hedge is not None else None,
        optional=bool(g.value(iri, CG.optional)),
    )


def flows_from_graph(g: Graph) -> list[DocumentFlows]:
    """Read the flows back, per document (list fields sorted; a flow's first evidence only)."""
    by_doc: dict[str, DocumentFlows] = {}
    keyed: dict[str, list[tuple[tuple[int, str], Flow]]] = {}
    for iri in g.subjects(RDF.type, CG.Flow):
        doc = g.value(iri, PROV.wasDerivedFrom)
        name = str(g.value(doc, CG.fileName) or unquote(str(doc).rsplit("/", 1)[-1]))
        if name not in by_doc:
            subject = g.value(g.value(doc, DCTERMS.subject), CG.iso3) if doc else None
            by_doc[name] = DocumentFlows(name, str(subject) if subject is not None else None)
        flow = _read_flow(g, iri)
        order = ((flow.span or (-1, -1))[0], str(iri))
        keyed.setdefault(name, []).append((order, flow))
    for name, items in keyed.items():
        by_doc[name].flows = [flow for _, flow in sorted(items, key=lambda item: item[0])]
    return [by_doc[name] for name in sorted(by_doc)]


def counts(g: Graph) -> dict[str, int]:
    """What a graph holds: documents, countries named by flows or profiles, flows, distinct legs
    (market, from, to), score observations and triples."""
    flows = flows_from_graph(g)
    legs = {leg for doc in flows for flow in doc.flows for leg in flow.legs()}
    named: set[Node] = set()
    for predicate in (CG.origin, CG.destination, CG.stagePlace, CG.country):
        named |= {o for o in g.objects(None, predicate) if (o, RDF.type, CG.Country) in g}
    return {
        "documents": len(set(g.subjects(RDF.type, CG.Document))),
        "countries": len(named),
        "flows": sum(len(doc.flows) for doc in flows),
        "legs": len(legs),
        "observations": len(set(g.subjects(RDF.type, CG.ScoreObservation))),
        "triples": len(g),
    }
