"""What the flow map shows, read from the RDF graph and its NetworkX projection (no drawing).

Arrows (the flow legs of one market from one place to another, merged), which flows each node
and edge belongs to (so the page can filter), countries' Index scores, regions' centres, the
plain-text tooltips, and the looks read from ``templates/style.json``.

>>> from graph.records import Document, DocumentFlows, Flow
>>> from graph.rdf import build_graph
>>> from graph.network import to_networkx
>>> text = "Heroin from Afghanistan transits Kazakhstan."
>>> flows = [Flow("heroin-trade", "heroin", ["AFG"], ["KAZ"], [], evidence=text)]
>>> g = build_graph([Document("a.txt", "report", text)], [], [DocumentFlows("a.txt", None, flows)])
>>> [arrow] = arrows(to_networkx(g))
>>> print(arrow_title(arrow, {"AFG": "Afghanistan", "KAZ": "Kazakhstan"}))
Heroin trade: Afghanistan → Kazakhstan
stated by 1 document (1 flow)
commodity: heroin
“Heroin from Afghanistan transits Kazakhstan.”
    — a.txt
"""

from __future__ import annotations

import functools
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF
from rdflib.term import Node

from graph.basemap import representative_point
from graph.errors import CrimegraphError
from graph.geolayout import spherical_mean
from graph.namespaces import CG, CGV, GEO
from graph.network import FlowView, flow_edges
from graph.series import series_of
from graph.vocab import indicator, indicators, market_slugs, markets

#: The page template, its script and style sheet, and ``style.json`` (colours and shapes).
TEMPLATES = Path(__file__).resolve().parent / "templates"
#: At most this many evidence passages in an arrow's tooltip, each cut at this many characters.
MAX_QUOTES = 4
MAX_QUOTE_CHARS = 360

# --- looks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindStyle:
    """How one kind of node looks: its legend label, vis-network shape and colour."""

    label: str
    shape: str
    colour: str


@dataclass(frozen=True)
class Style:
    """Node kinds' looks, market colours by slug, the colours of ties and unscored countries."""

    kinds: dict[str, KindStyle]
    markets: dict[str, str]
    tie: str
    unscored: str

    def kind(self, kind: str) -> KindStyle:
        """The looks of a node kind (those of "place" for a kind the file lacks)."""
        return self.kinds.get(kind, self.kinds["place"])


def market_order() -> list[str]:
    """Every market slug in the Index's order, then those it does not score (``drug-trade``)."""
    scored = [m.slug for m in markets(None)]
    return scored + sorted(market_slugs() - set(scored))


def market_label(slug: str) -> str:
    """The Index's label of a market slug (the slug itself for one the vocabulary lacks).

    >>> market_label("heroin-trade"), market_label("unknown-trade")
    ('Heroin trade', 'unknown-trade')
    """
    try:
        return indicator(slug).label
    except CrimegraphError:
        return slug


@functools.cache
def style() -> Style:
    """The looks of the map, read once from ``templates/style.json``."""
    path = TEMPLATES / "style.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        palette: list[str] = data["markets"]
        kinds = {
            k: KindStyle(v["label"], v["shape"], v["colour"]) for k, v in data["kinds"].items()
        }
        tie, unscored = data["tie"]["colour"], data["unscored"]["colour"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CrimegraphError(f"{path}: cannot read the map's style ({exc})") from exc
    return Style(
        kinds=kinds,
        markets={m: palette[i % len(palette)] for i, m in enumerate(market_order())},
        tie=tie,
        unscored=unscored,
    )


# --- what the RDF graph adds to the projection ------------------------------------------------


@dataclass(frozen=True)
class CountryScores:
    """A country's Organized Crime Index scores in the latest edition the graph holds."""

    edition: int
    values: dict[str, float]


def country_scores(g: Graph) -> dict[str, CountryScores]:
    """Scores by country IRI, from the graph's ``cg:ScoreObservation`` nodes (latest edition)."""
    found: dict[str, dict[int, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for obs in g.subjects(RDF.type, CG.ScoreObservation):
        country, ind = g.value(obs, CG.country), g.value(obs, CG.indicator)
        edition, value = g.value(obs, CG.edition), g.value(obs, CG.value)
        if country is None or ind is None:
            continue
        if not isinstance(edition, Literal) or not isinstance(value, Literal):
            continue
        slug = str(ind).removeprefix(str(CGV))
        found[str(country)][int(edition.toPython())][slug] = float(value.toPython())
    return {iri: CountryScores(max(eds), dict(eds[max(eds)])) for iri, eds in found.items()}


def region_centres(g: Graph, regions: Iterable[str]) -> dict[str, tuple[float, float]]:
    """(lat, lon) of each region IRI given: the mean position of the countries located in it
    (each at the point inside it where the map puts its node)."""
    centres: dict[str, tuple[float, float]] = {}
    for iri in regions:
        coords = []
        for member in g.transitive_subjects(CG.locatedIn, URIRef(iri)):
            lat, lon = g.value(member, GEO.lat), g.value(member, GEO.long)
            is_country = (member, RDF.type, CG.Country) in g
            if is_country and isinstance(lat, Literal) and isinstance(lon, Literal):
                iso3 = str(g.value(member, CG.iso3) or "")
                point = (float(lat.toPython()), float(lon.toPython()))
                coords.append(representative_point(iso3, *point))
        centre = spherical_mean(coords)
        if centre is not None:
            centres[iri] = centre
    return centres


@dataclass(frozen=True)
class FlowRef:
    """A flow as the page's filters see it: its market, its places, every node it involves."""

    market: str
    places: frozenset[str]
    members: frozenset[str]


_ENTITY_PROPS = (CG.commodity, CG.route, CG.actor, CG.checkpoint, CG.namedPlace)


def _slug_of(g: Graph, node: Node | None) -> str:
    if node is None:
        return ""
    slug = g.value(node, CG.slug)
    return str(slug) if slug is not None else str(node).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def flow_refs(g: Graph, nxg: nx.MultiDiGraph, view: FlowView) -> dict[str, FlowRef]:
    """The flows a projection draws, by IRI: those ``view`` keeps, all of whose places it has
    (with ``legs_touching``, the places of the legs it draws).

    Flows stated without a leg (a destination only, say) are among them: their places and
    ties are drawn, so the filters must know them too.
    """
    key_of = {data["iri"]: key for key, data in nxg.nodes(data=True)}
    refs: dict[str, FlowRef] = {}
    for flow in g.subjects(RDF.type, CG.Flow):
        market = _slug_of(g, g.value(flow, CG.market))
        if view.markets and market not in view.markets:
            continue
        place_iris = [str(p) for prop in (CG.origin, CG.destination) for p in g.objects(flow, prop)]
        for stage in g.objects(flow, CG.transit):
            place_iris += [str(p) for p in g.objects(stage, CG.stagePlace)]
        if view.legs_touching:  # the drawing keeps only the places of the legs it draws
            place_iris = [p for p in place_iris if p in key_of]
        if not place_iris or any(p not in key_of for p in place_iris):
            continue
        places = frozenset(key_of[p] for p in place_iris)
        if view.countries and not places & view.countries:
            continue
        entities = {key_of.get(str(e)) for prop in _ENTITY_PROPS for e in g.objects(flow, prop)}
        refs[str(flow)] = FlowRef(market, places, places | {k for k in entities if k})
    return refs


# --- arrows: the legs of one market from one place to another --------------------------------


@dataclass
class Arrow:
    """The flow legs of one market from one place to another, and what their flows state."""

    source: str
    target: str
    market: str
    flows: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)
    commodities: set[str] = field(default_factory=set)
    routes: set[str] = field(default_factory=set)
    modes: set[str] = field(default_factory=set)
    checkpoints: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)
    hedges: set[str] = field(default_factory=set)
    #: Each evidence passage and the documents that state it.
    quotes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, leg: Mapping[str, Any]) -> None:
        """Merge one flow leg (the attributes of a projection's flow edge)."""
        self.flows.add(leg["flow"])
        self.documents.update(leg["documents"])
        for attr, values in (("commodity", self.commodities), ("route", self.routes)):
            if leg.get(attr):
                values.add(leg[attr])
        self.modes.update(leg["mode"])
        self.checkpoints.update(leg["checkpoints"])
        self.actors.update(leg["actors"])
        self.hedges.update(leg["hedge"])
        for text in leg["evidence"]:
            self.quotes[text].update(leg["documents"])


def arrows(nxg: nx.MultiDiGraph) -> list[Arrow]:
    """The projection's flow legs merged by (from, to, market), sorted that way."""
    merged: dict[tuple[str, str, str], Arrow] = {}
    for u, v, _, leg in flow_edges(nxg):
        key = (u, v, leg["market"])
        if key not in merged:
            merged[key] = Arrow(u, v, leg["market"])
        merged[key].add(leg)
    return [merged[k] for k in sorted(merged)]


def width_of(sources: int) -> float:
    """An arrow's width in pixels: 1 for one source, growing with the log of their number.

    >>> width_of(1), width_of(4)
    (1.0, 5.0)
    """
    return round(1.0 + 2.0 * math.log2(max(1, sources)), 2)


def sources_of(documents: Iterable[str]) -> set[str]:
    """The distinct source series of some documents: editions of one series count once.

    >>> sorted(sources_of(["cia_factbook/factbook_json_2021-01-01/kz.txt",
    ...                    "cia_factbook/factbook_json_2022-11-10/kz.txt", "report.txt"]))
    ['cia-world-factbook', 'document-report-txt']
    """
    return {series_of(d).slug for d in documents}


# --- tooltips: plain text (vis-network shows a string title as text, never as HTML) -----------


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def clip(text: str, limit: int = MAX_QUOTE_CHARS) -> str:
    """Whitespace collapsed, and cut with an ellipsis past ``limit`` characters.

    >>> clip("a  b\\n c", 4)
    'a b…'
    """
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def arrow_title(arrow: Arrow, labels: Mapping[str, str]) -> str:
    """The tooltip of an arrow: market, places, what moves and how, and the evidence."""
    lines = [
        f"{market_label(arrow.market)}: {labels[arrow.source]} → {labels[arrow.target]}",
        f"stated by {_plural(len(arrow.documents), 'document')}"
        f" ({_plural(len(arrow.flows), 'flow')})",
    ]
    for name, values in (
        ("commodity", arrow.commodities),
        ("route", arrow.routes),
        ("mode", arrow.modes),
        ("checkpoints", arrow.checkpoints),
        ("actors", arrow.actors),
        ("hedged", arrow.hedges),
    ):
        if values:
            lines.append(f"{name}: {'; '.join(sorted(values))}")
    quotes = sorted(arrow.quotes.items(), key=lambda q: (-len(q[1]), q[0]))
    for text, docs in quotes[:MAX_QUOTES]:
        names = sorted(docs)
        more = f" and {len(names) - 2} more" if len(names) > 2 else ""
        lines.append(f"“{clip(text)}”\n    — {', '.join(names[:2])}{more}")
    if len(quotes) > MAX_QUOTES:
        lines.append(f"… and {_plural(len(quotes) - MAX_QUOTES, 'more passage')}")
    return "\n".join(lines)


def score_lines(scores: CountryScores) -> list[str]:
    """Tooltip lines of a country's scores: the aggregates, then its markets, highest first."""
    lines = [f"Organized Crime Index {scores.edition}"]
    for ind in indicators(None):
        if ind.group == "aggregate" and ind.slug in scores.values:
            lines.append(f"  {ind.label}: {scores.values[ind.slug]:g}")
    ranked = sorted((-v, market_label(s)) for s, v in scores.values.items() if s in market_slugs())
    if ranked:
        lines.append("  markets: " + ", ".join(f"{label} {-v:g}" for v, label in ranked))
    return lines


def node_title(key: str, data: Mapping[str, Any], scores: CountryScores | None, flows: int) -> str:
    """The tooltip of a node: name and kind, a country's scores, how many drawn flows involve it."""
    kind = data.get("kind", "place")
    name = data.get("label", key)
    if kind == "country":
        lines = [f"{name} ({key})"]
        lines += score_lines(scores) if scores else ["no Organized Crime Index score in this graph"]
    else:
        lines = [f"{name} — {style().kind(kind).label}"]
    lines.append(f"in {_plural(flows, 'drawn flow')}")
    return "\n".join(lines)


# --- what the page's side panel and time control need -----------------------------------------


@dataclass(frozen=True)
class Passage:
    """One evidence passage of a flow: its text, the document quoting it, its IRI."""

    text: str
    document: str
    iri: str


def document_years(g: Graph) -> dict[str, int]:
    """The year (edition) of each document that carries one, by document name."""
    years = {}
    for doc in g.subjects(RDF.type, CG.Document):
        name, year = g.value(doc, CG.fileName), g.value(doc, CG.edition)
        if name is not None and isinstance(year, Literal):
            years[str(name)] = int(year.toPython())
    return years


def flow_passages(g: Graph, flows: Iterable[str]) -> dict[str, list[Passage]]:
    """The evidence passages of each flow IRI given, sorted by text."""
    found = {}
    for iri in flows:
        passages = []
        for ev in g.objects(URIRef(iri), CG.evidence):
            doc = g.value(ev, PROV.wasQuotedFrom) or g.value(URIRef(iri), PROV.wasDerivedFrom)
            name = g.value(doc, CG.fileName) if doc is not None else None
            text = g.value(ev, CG.text)
            passages.append(Passage(str(text or ""), str(name or ""), str(ev)))
        found[iri] = sorted(passages, key=lambda p: (p.text, p.document))
    return found


def flow_chains(nxg: nx.MultiDiGraph, labels: Mapping[str, str]) -> dict[str, str]:
    """Each drawn flow's places in order, by flow IRI: ``Afghanistan → Tajikistan → Russia``
    (places at the same stage joined by commas)."""
    legs: dict[str, nx.DiGraph] = defaultdict(nx.DiGraph)
    for u, v, _, leg in flow_edges(nxg):
        legs[leg["flow"]].add_edge(u, v)
    chains = {}
    for flow, chain in legs.items():
        try:
            stages = [sorted(s) for s in nx.topological_generations(chain)]
        except nx.NetworkXUnfeasible:  # a cycle: list the legs instead
            stages = [[f"{u}→{v}" for u, v in sorted(chain.edges)]]
        chains[flow] = " → ".join(", ".join(labels.get(p, p) for p in s) for s in stages)
    return chains
