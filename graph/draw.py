"""Draw the flow network as one self-contained, interactive HTML page (pyvis + vis-network).

Each arrow holds the flow legs of one market from one place to another, coloured by market and
as wide as the number of documents that state them; places, commodities, actors and routes are
nodes told apart by shape and colour, countries sized by their criminality score. The page
inlines vis-network and its own legend and filters, so it opens offline and fetches nothing.

>>> from graph.records import Document, DocumentFlows, Flow
>>> from graph.rdf import build_graph
>>> text = "Heroin moves from Afghanistan via Kazakhstan to Russia."
>>> flow = Flow("heroin-trade", "heroin", ["AFG"], ["KAZ"], ["RUS"], evidence=text)
>>> g = build_graph([Document("d.txt", "report", text)], [], [DocumentFlows("d.txt", None, [flow])])
>>> net = draw(g)
>>> sorted(e["from"] + ">" + e["to"] for e in net.edges if e["kind"] == "flow")
['AFG>KAZ', 'KAZ>RUS']
>>> "https://" in net.generate_html().split("<body")[0]
False
"""

from __future__ import annotations

import functools
import html
import json
import math
import os
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pyvis
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from pyvis.network import Network
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from graph.errors import CrimegraphError
from graph.fileio import atomic_write
from graph.geolayout import SCALE, geo_positions, spherical_mean
from graph.namespaces import CG, CGV, GEO
from graph.network import TIES, FlowView, flow_edges, to_networkx
from graph.vocab import by_label, indicator, indicators, market_slugs, markets

#: The layouts :func:`draw` knows.
LAYOUTS: tuple[str, ...] = ("geo", "force")
#: The page template, its script and style sheet, and the colours and shapes (``style.json``).
TEMPLATES = Path(__file__).resolve().parent / "templates"
#: vis-network as pyvis 0.3.2 ships it: inlined into the page, never linked.
VIS_DIR = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
#: At most this many evidence passages in an arrow's tooltip, each cut at this many characters.
MAX_QUOTES = 4
MAX_QUOTE_CHARS = 360
#: Stabilisation iterations of the force layout (it then stops moving).
FORCE_ITERATIONS = 400
#: Countries without a criminality score get this size; a score of s adds ``2.5 * s``.
BASE_SIZE = 10.0

# --- style ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindStyle:
    """How one kind of node looks: its legend label, vis-network shape and colour."""

    label: str
    shape: str
    colour: str


@dataclass(frozen=True)
class Style:
    """Node kinds' looks, market colours by slug, and the colours of ties and unscored countries."""

    kinds: dict[str, KindStyle]
    markets: dict[str, str]
    tie: str
    unscored: str

    def kind(self, kind: str) -> KindStyle:
        return self.kinds.get(kind, self.kinds["place"])


def market_order() -> list[str]:
    """Every market slug in the Index's order, then those it does not score (``drug-trade``)."""
    scored = [m.slug for m in markets(None)]
    return scored + sorted(market_slugs() - set(scored))


@functools.cache
def style() -> Style:
    """The looks of the page, read once from ``templates/style.json``."""
    data = json.loads((TEMPLATES / "style.json").read_text(encoding="utf-8"))
    palette: list[str] = data["markets"]
    return Style(
        kinds={k: KindStyle(v["label"], v["shape"], v["colour"]) for k, v in data["kinds"].items()},
        markets={m: palette[i % len(palette)] for i, m in enumerate(market_order())},
        tie=data["tie"]["colour"],
        unscored=data["unscored"]["colour"],
    )


# --- what the RDF graph adds to the projection ------------------------------------------------


@dataclass(frozen=True)
class CountryScores:
    """A country's Organized Crime Index scores of its latest edition in the graph."""

    edition: int
    values: dict[str, float]


def country_scores(g: Graph) -> dict[str, CountryScores]:
    """Scores by country IRI, from the graph's ``cg:ScoreObservation`` nodes (latest edition)."""
    by_country: dict[str, dict[int, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for obs in g.subjects(RDF.type, CG.ScoreObservation):
        country, ind = g.value(obs, CG.country), g.value(obs, CG.indicator)
        edition, value = g.value(obs, CG.edition), g.value(obs, CG.value)
        if None in (country, ind) or not isinstance(value, Literal):
            continue
        if not isinstance(edition, Literal):
            continue
        slug = str(ind).removeprefix(str(CGV))
        by_country[str(country)][int(edition.toPython())][slug] = float(value.toPython())
    return {
        iri: CountryScores(max(eds), eds[max(eds)]) for iri, eds in by_country.items() if eds
    }


def region_centres(g: Graph, regions: Iterable[str]) -> dict[str, tuple[float, float]]:
    """(lat, lon) of each region IRI given: the spherical mean of the countries located in it."""
    centres: dict[str, tuple[float, float]] = {}
    for iri in regions:
        coords = []
        for member in g.transitive_subjects(CG.locatedIn, URIRef(iri)):
            lat, lon = g.value(member, GEO.lat), g.value(member, GEO.long)
            if (member, RDF.type, CG.Country) in g and isinstance(lat, Literal) and lon:
                coords.append((float(lat.toPython()), float(Literal(lon).toPython())))
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


_PLACE_PROPS = (CG.origin, CG.destination)
_ENTITY_PROPS = (CG.commodity, CG.route, CG.actor, CG.checkpoint, CG.namedPlace)


def _slug_of(g: Graph, node: Node | None) -> str:
    if node is None:
        return ""
    slug = g.value(node, CG.slug)
    return str(slug) if slug is not None else str(node).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def flow_refs(g: Graph, nxg: nx.MultiDiGraph, view: FlowView) -> dict[str, FlowRef]:
    """The flows drawn in a projection, by IRI: those ``view`` keeps whose places are all drawn."""
    key_of = {data["iri"]: key for key, data in nxg.nodes(data=True)}
    refs: dict[str, FlowRef] = {}
    for flow in g.subjects(RDF.type, CG.Flow):
        market = _slug_of(g, g.value(flow, CG.market))
        place_iris = [str(p) for prop in _PLACE_PROPS for p in g.objects(flow, prop)]
        place_iris += [
            str(p) for stage in g.objects(flow, CG.transit) for p in g.objects(stage, CG.stagePlace)
        ]
        if not place_iris or any(p not in key_of for p in place_iris):
            continue
        places = frozenset(key_of[p] for p in place_iris)
        if view.markets and market not in view.markets:
            continue
        if view.countries and not places & view.countries:
            continue
        entities = {key_of[str(e)] for p in _ENTITY_PROPS for e in g.objects(flow, p)} - {None}
        refs[str(flow)] = FlowRef(market, places, places | frozenset(k for k in entities if k))
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
        for attr, target in (("commodity", self.commodities), ("route", self.routes)):
            if leg.get(attr):
                target.add(leg[attr])
        self.modes.update(leg["mode"])
        self.checkpoints.update(leg["checkpoints"])
        self.actors.update(leg["actors"])
        self.hedges.update(leg["hedge"])
        for text in leg["evidence"]:
            self.quotes[text].update(leg["documents"])


def arrows(nxg: nx.MultiDiGraph) -> list[Arrow]:
    """The projection's flow legs merged by (from, to, market), in a stable order."""
    merged: dict[tuple[str, str, str], Arrow] = {}
    for u, v, _, leg in flow_edges(nxg):
        key = (u, v, leg["market"])
        if key not in merged:
            merged[key] = Arrow(u, v, leg["market"])
        merged[key].add(leg)
    return [merged[k] for k in sorted(merged)]


# --- tooltips (plain text: vis-network shows a string title as text, never as HTML) -----------


def _clip(text: str, limit: int = MAX_QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def market_label(slug: str) -> str:
    """The Index's label of a market slug (the slug itself for one the vocabulary lacks)."""
    try:
        return indicator(slug).label
    except CrimegraphError:
        return slug


def arrow_title(arrow: Arrow, labels: Mapping[str, str]) -> str:
    """The tooltip of an arrow: market, places, what moves and how, and the evidence."""
    n_docs = len(arrow.documents)
    lines = [
        f"{market_label(arrow.market)}: {labels[arrow.source]} → {labels[arrow.target]}",
        f"stated by {n_docs} document{'s' if n_docs != 1 else ''}"
        f" ({len(arrow.flows)} flow{'s' if len(arrow.flows) != 1 else ''})",
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
        shown = sorted(docs)
        more = f" and {len(shown) - 2} more" if len(shown) > 2 else ""
        lines.append(f"“{_clip(text)}”\n    — {', '.join(shown[:2])}{more}")
    if len(quotes) > MAX_QUOTES:
        lines.append(f"… and {len(quotes) - MAX_QUOTES} more passages")
    return "\n".join(lines)


def score_lines(scores: CountryScores) -> list[str]:
    """Tooltip lines of a country's scores: the aggregates, then its markets, highest first."""
    lines = [f"Organized Crime Index {scores.edition}"]
    for ind in indicators(None):
        if ind.group == "aggregate" and ind.slug in scores.values:
            lines.append(f"  {ind.label}: {scores.values[ind.slug]:g}")
    market_scores = sorted(
        ((v, indicator(s).label) for s, v in scores.values.items() if s in market_slugs()),
        key=lambda x: (-x[0], x[1]),
    )
    if market_scores:
        lines.append("  markets: " + ", ".join(f"{label} {v:g}" for v, label in market_scores))
    return lines


def node_title(key: str, data: Mapping[str, Any], scores: CountryScores | None, n_flows: int) -> str:
    """The tooltip of a node: its name and kind, its scores, how many drawn flows involve it."""
    kind = style().kind(data.get("kind", "place")).label
    name = data.get("label", key)
    lines = [f"{name} ({key})" if data.get("kind") == "country" else f"{name} — {kind}"]
    if data.get("kind") == "country":
        lines += score_lines(scores) if scores else ["no Organized Crime Index score in this graph"]
    lines.append(f"in {n_flows} drawn flow{'s' if n_flows != 1 else ''}")
    return "\n".join(lines)


# --- the network ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageData:
    """What the page's own script needs besides nodes and edges: title, legend, filter lists."""

    title: str
    layout: str
    content: dict[str, Any]


class FlowNetwork(Network):  # type: ignore[misc]  # pyvis is untyped
    """A pyvis network that renders as one self-contained page with a legend and filters.

    ``generate_html`` (used by ``write_html`` and ``show``) fills crimegraph's own template:
    vis-network inlined, no CDN link, no ``lib/`` folder; in Jupyter the object displays itself.
    """

    def __init__(self, page: PageData) -> None:
        super().__init__(directed=True, cdn_resources="in_line", heading=page.title)
        self.page = page

    def generate_html(self, name: str = "index.html", local: bool = True, notebook: bool = False) -> str:
        """The whole page as a string."""
        self.html = render_page(self.page, self.nodes, self.edges, self.options)
        return str(self.html)

    def _repr_html_(self) -> str:
        page = html.escape(self.generate_html(), quote=True)
        return f'<iframe srcdoc="{page}" style="width:100%;height:720px;border:0"></iframe>'


def _options(layout: str) -> dict[str, Any]:
    options: dict[str, Any] = {
        "interaction": {"hover": True, "tooltipDelay": 150, "multiselect": True},
        "nodes": {"font": {"face": "system-ui, sans-serif", "strokeWidth": 3}},
        "edges": {"arrows": {"to": {"scaleFactor": 0.55}}, "hoverWidth": 1.5},
        "layout": {"improvedLayout": False, "randomSeed": 7},
    }
    if layout == "geo":
        options["physics"] = {"enabled": False}
    else:
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90},
            "stabilization": {"enabled": True, "iterations": FORCE_ITERATIONS, "fit": True},
        }
    return options


def _resolve_markets(requested: Iterable[str]) -> frozenset[str]:
    known = market_slugs()
    out = set()
    for m in requested:
        found = m if m in known else getattr(by_label(m), "slug", None)
        if found not in known:
            raise CrimegraphError(f"unknown market {m!r} (known: {', '.join(market_order())})")
        out.add(str(found))
    return frozenset(out)


def _resolve_countries(g: Graph, requested: Iterable[str]) -> frozenset[str]:
    """Place codes of ISO3 codes, region slugs or names (any case) the graph knows."""
    names: dict[str, str] = {}
    for place_type in (CG.Country, CG.Region):
        for place in g.subjects(RDF.type, place_type):
            code = g.value(place, CG.iso3) or g.value(place, CG.slug)
            if code is None:
                continue
            for label in [code, *g.objects(place, RDFS.label), *g.objects(place, SKOS.altLabel)]:
                names.setdefault(str(label).casefold(), str(code))
    out = set()
    for c in requested:
        if c.casefold() not in names:
            raise CrimegraphError(f"unknown country or region {c!r} (give an ISO3 code or a name)")
        out.add(names[c.casefold()])
    return frozenset(out)


def _default_title(view: FlowView) -> str:
    parts = ["Transnational crime flows"]
    if view.markets:
        parts.append(", ".join(sorted(market_label(m) for m in view.markets)))
    if view.countries:
        parts.append(", ".join(sorted(view.countries)))
    return " — ".join(parts)


def draw(
    g: Graph,
    *,
    markets: Iterable[str] | None = None,
    countries: Iterable[str] | None = None,
    layout: str = "geo",
    title: str | None = None,
) -> FlowNetwork:
    """The flow network of an RDF graph as a pyvis network (write it with :func:`write_html`).

    ``markets`` (slugs or labels) and ``countries`` (ISO3 codes, region slugs or names) keep only
    the flows of those markets and the flows that touch those places. ``layout="geo"`` pins
    countries at their longitude/latitude and places everything else around them (no physics);
    ``"force"`` lets vis-network's physics settle the layout, then stops it.
    """
    if layout not in LAYOUTS:
        raise CrimegraphError(f"unknown layout {layout!r} (known: {', '.join(LAYOUTS)})")
    view = FlowView(
        markets=_resolve_markets(markets or ()), countries=_resolve_countries(g, countries or ())
    )
    nxg = to_networkx(g, view)
    refs = flow_refs(g, nxg, view)
    index = {iri: i for i, iri in enumerate(sorted(refs))}
    node_flows: dict[str, set[int]] = defaultdict(set)
    for iri, ref in refs.items():
        for key in ref.members:
            node_flows[key].add(index[iri])

    regions = [d["iri"] for _, d in nxg.nodes(data=True) if d.get("kind") == "region"]
    iri_key = {d["iri"]: k for k, d in nxg.nodes(data=True)}
    centres = {iri_key[iri]: c for iri, c in region_centres(g, regions).items()}
    positions = geo_positions(nxg, centres) if layout == "geo" else {}
    scores = country_scores(g)
    sty = style()
    page = PageData(title or _default_title(view), layout, {})
    net = FlowNetwork(page)
    net.options = _options(layout)
    labels = {k: str(d.get("label", k)) for k, d in nxg.nodes(data=True)}

    for key in sorted(nxg.nodes, key=lambda k: (k not in node_flows, k)):
        data = nxg.nodes[key]
        kind = data.get("kind", "place")
        ks = sty.kind(kind)
        score = scores.get(data.get("iri", ""))
        criminality = score.values.get("criminality") if score else None
        colour = ks.colour if kind != "country" or criminality is not None else sty.unscored
        size = BASE_SIZE + 2.5 * criminality if criminality is not None else BASE_SIZE
        place: dict[str, Any] = {}
        if layout == "geo":
            x, y = positions[key]
            pinned = kind == "country" and "lat" in data
            place = {"x": x, "y": y, "fixed": pinned, "physics": not pinned}
        net.add_node(
            key,
            label=labels[key],
            shape=ks.shape,
            color=colour,
            size=size if kind == "country" else 7.0,
            title=node_title(key, data, score, len(node_flows[key])),
            font={"size": 14 if kind in ("country", "region") else 11},
            kind=kind,
            flows=sorted(node_flows[key]),
            **place,
        )

    drawn = arrows(nxg)
    pair_markets: dict[frozenset[str], list[str]] = defaultdict(list)
    for a in drawn:
        pair_markets[frozenset((a.source, a.target))].append(a.market)
    order = {m: i for i, m in enumerate(market_order())}
    for i, a in enumerate(drawn):
        siblings = sorted(set(pair_markets[frozenset((a.source, a.target))]), key=order.get)
        colour = sty.markets.get(a.market, sty.markets["drug-trade"])
        net.add_edge(
            a.source,
            a.target,
            id=f"a{i}",
            kind="flow",
            market=a.market,
            title=arrow_title(a, labels),
            color={"color": colour, "highlight": colour, "hover": colour},
            width=round(1.0 + 2.0 * math.log2(max(1, len(a.documents))), 2),
            smooth={"enabled": True, "type": "curvedCW", "roundness": 0.12 + 0.1 * siblings.index(a.market)},
            documents=len(a.documents),
            flows=sorted(index[f] for f in a.flows if f in index),
        )

    entity_ties = set(TIES.values())
    ties = sorted((u, v, d) for u, v, d in nxg.edges(data=True) if d.get("kind") != "flow")
    for i, (u, v, d) in enumerate(ties):
        members = node_flows[u] & node_flows[v] if d["kind"] in entity_ties else node_flows[u]
        net.add_edge(
            u,
            v,
            id=f"t{i}",
            kind=d["kind"],
            title=f"{labels[u]} {d['kind'].replace('_', ' ')} {labels[v]}",
            color={"color": sty.tie, "opacity": 0.7},
            width=1,
            dashes=True,
            arrows={"to": {"enabled": False}},
            smooth=False,
            flows=sorted(members),
        )

    used_markets = [m for m in market_order() if any(a.market == m for a in drawn)]
    market_index = {m: i for i, m in enumerate(used_markets)}
    country_keys = {k for ref in refs.values() for k in ref.places if nxg.nodes[k].get("kind") == "country"}
    page.content.update(
        {
            "scale": SCALE,
            "kinds": [
                {"kind": k, "label": s.label, "shape": s.shape, "colour": s.colour,
                 "count": sum(1 for _, d in nxg.nodes(data=True) if d.get("kind") == k)}
                for k, s in sty.kinds.items()
            ],
            "markets": [
                {"slug": m, "label": market_label(m), "colour": sty.markets[m],
                 "count": sum(1 for a in drawn if a.market == m)}
                for m in used_markets
            ],
            "countries": sorted(
                ({"id": k, "label": labels[k]} for k in country_keys), key=lambda c: c["label"]
            ),
            "flows": [
                [market_index.get(refs[iri].market, -1), sorted(refs[iri].places)]
                for iri in sorted(refs)
            ],
            "documents": len({doc for a in drawn for doc in a.documents}),
            "tie_colour": sty.tie,
        }
    )
    return net


# --- the page ---------------------------------------------------------------------------------


@functools.cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True)


@functools.cache
def _asset(path: Path) -> Markup:
    """A script or style sheet to inline; one that could close its own tag is refused."""
    text = path.read_text(encoding="utf-8")
    if "</script" in text.lower() or "</style" in text.lower():
        raise CrimegraphError(f"{path}: cannot be inlined (it contains a closing tag)")
    return Markup(text)


def render_page(
    page: PageData, nodes: list[dict[str, Any]], edges: list[dict[str, Any]], options: Any
) -> str:
    """The HTML page: data as JSON (``<`` ``>`` ``&`` ``'`` escaped), everything inlined.

    A fresh nonce allows the page's own scripts and nothing else (a Content-Security-Policy
    that also forbids every request), as a second line of defence behind the escaping.
    """
    opts = options if isinstance(options, dict) else json.loads(options.to_json())
    return _environment().get_template("flows.html").render(
        title=page.title,
        nonce=secrets.token_urlsafe(18),
        page={"title": page.title, "layout": page.layout, **page.content},
        nodes=nodes,
        edges=edges,
        options=opts,
        vis_css=_asset(VIS_DIR / "vis-network.css"),
        vis_js=_asset(VIS_DIR / "vis-network.min.js"),
        page_css=_asset(TEMPLATES / "flows.css"),
        page_js=_asset(TEMPLATES / "flows.js"),
    )


def page_html(net: Network) -> str:
    """The self-contained page of any pyvis network: a drawn one, or one built by hand."""
    if isinstance(net, FlowNetwork):
        return net.generate_html()
    physics = net.options.get("physics", {}) if isinstance(net.options, dict) else {}
    layout = "geo" if physics.get("enabled") is False else "force"
    return render_page(PageData(net.heading or "network", layout, {}), net.nodes, net.edges, net.options)


def write_html(net_or_graph: Network | Graph, path: str | os.PathLike[str], **draw_args: Any) -> Path:
    """Write a drawn network (or draw an RDF graph with ``draw_args``) to one HTML file, atomically.

    Nothing else is written: no ``lib/`` folder, no copy of vis-network beside the page.
    """
    net = draw(net_or_graph, **draw_args) if isinstance(net_or_graph, Graph) else net_or_graph
    text = page_html(net)
    target = Path(path)
    with atomic_write(target) as fh:
        fh.write(text)
    return target
