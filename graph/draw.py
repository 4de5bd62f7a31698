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
>>> "<script src" in net.generate_html()
False
"""

from __future__ import annotations

import functools
import html
import json
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
from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SKOS

from graph.basemap import graticule, projected_outlines, representative_point, sphere
from graph.errors import CrimegraphError
from graph.fileio import atomic_write
from graph.flowmap import (
    TEMPLATES,
    Arrow,
    CountryScores,
    FlowRef,
    arrow_title,
    arrows,
    clip,
    country_scores,
    document_years,
    flow_chains,
    flow_passages,
    flow_refs,
    market_label,
    market_order,
    node_title,
    region_centres,
    sources_of,
    style,
    width_of,
)
from graph.geolayout import FOCUS_SCALE, Box, Projection, geo_positions, spherical_mean
from graph.namespaces import CG
from graph.network import TIES, FlowView, to_networkx
from graph.placement import place_anchors
from graph.vocab import by_label, market_slugs

#: The layouts :func:`draw` knows.
LAYOUTS: tuple[str, ...] = ("geo", "force")
#: vis-network as pyvis 0.3.2 ships it: inlined into the page, never linked.
VIS_DIR = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
#: Stabilisation iterations of the force layout (it starts from the geo layout, then stops).
FORCE_ITERATIONS = 100
#: A country's radius without a criminality score; a score of s adds ``SCORE_SIZE * s``
#: (small enough that neighbours on the world map stay apart).
BASE_SIZE = 6.0
SCORE_SIZE = 1.2
#: Node labels longer than this are cut on the canvas (tooltips have them whole).
LABEL_CHARS = 32
#: Commodities, actors and routes are shown when the page opens if there are at most this many.
ENTITY_LIMIT = 120
_ENTITY_KINDS = frozenset({"commodity", "actor", "route"})
#: With more arrows than this, the page opens showing only the TOP_ARROWS strongest (the user
#: can show more); fewer are all shown.
CLUTTER_LIMIT = 400
TOP_ARROWS = 250
#: Evidence passages in the side panel are cut at this many characters.
PANEL_QUOTE_CHARS = 600


@dataclass
class PageData:
    """What the page's own script needs besides nodes and edges: title, legend, filter lists."""

    title: str
    layout: str
    content: dict[str, Any] = field(default_factory=dict)
    #: Not on the page, for exports: (lat, lon) of each node placed on the map, its name, the drawn
    #: flows' IRIs (in the order of ``content["flows"]``) and each one's evidence IRIs.
    coords: dict[str, tuple[float, float]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    flow_iris: list[str] = field(default_factory=list)
    flow_evidence: list[list[str]] = field(default_factory=list)


class FlowNetwork(Network):  # type: ignore[misc]  # pyvis has no type hints
    """A pyvis network that renders as crimegraph's self-contained page.

    ``generate_html`` (and so pyvis's ``write_html`` and ``show``) fills crimegraph's template:
    vis-network inlined, no CDN link, no ``lib/`` folder. In Jupyter the object shows itself.
    """

    def __init__(self, page: PageData) -> None:
        super().__init__(directed=True, cdn_resources="in_line", heading=page.title)
        self.page = page

    def generate_html(
        self, name: str = "index.html", local: bool = True, notebook: bool = False
    ) -> str:
        """The whole page as a string (the arguments are pyvis's, and unused)."""
        self.html = render_page(self.page, self.nodes, self.edges, self.options)
        return str(self.html)

    def _repr_html_(self) -> str:
        page = html.escape(self.generate_html(), quote=True)
        return f'<iframe srcdoc="{page}" style="width:100%;height:720px;border:0"></iframe>'


# --- arguments --------------------------------------------------------------------------------


def resolve_markets(requested: Iterable[str]) -> frozenset[str]:
    """Market slugs of slugs or labels ("heroin-trade", "Heroin trade"); unknown ones raise.

    >>> sorted(resolve_markets(["Heroin trade", "drug-trade"]))
    ['drug-trade', 'heroin-trade']
    """
    known = market_slugs()
    found = set()
    for m in requested:
        slug = m if m in known else getattr(by_label(m), "slug", None)
        if slug not in known:
            raise CrimegraphError(f"unknown market {m!r} (known: {', '.join(market_order())})")
        found.add(str(slug))
    return frozenset(found)


def resolve_places(g: Graph, requested: Iterable[str]) -> frozenset[str]:
    """Place codes of ISO3 codes, region slugs or names (any case) that the graph knows."""
    wanted = {r.casefold(): r for r in requested}
    found: dict[str, str] = {}
    for place_type in (CG.Country, CG.Region):
        for place in g.subjects(RDF.type, place_type):
            code = g.value(place, CG.iso3) or g.value(place, CG.slug)
            if code is None:
                continue
            names = [code, *g.objects(place, RDFS.label), *g.objects(place, SKOS.altLabel)]
            for name in names:
                if str(name).casefold() in wanted:
                    found.setdefault(str(name).casefold(), str(code))
    missing = [r for key, r in wanted.items() if key not in found]
    if missing:
        raise CrimegraphError(
            f"unknown country or region {missing[0]!r} (give an ISO3 code, a region slug or a name)"
        )
    return frozenset(found.values())


# --- the network ------------------------------------------------------------------------------


def _options(layout: str) -> dict[str, Any]:
    options: dict[str, Any] = {
        "interaction": {"hover": True, "tooltipDelay": 150, "multiselect": True},
        # The page writes the labels itself, never two over each other: vis-network's are off.
        "nodes": {
            "font": {"face": "system-ui, sans-serif", "strokeWidth": 3},
            "scaling": {"label": {"drawThreshold": 1e9}},
        },
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


def _size(data: Mapping[str, Any], scores: CountryScores | None) -> float:
    """A node's radius: a country's grows with its criminality score."""
    if data.get("kind") != "country":
        return 5.0
    criminality = scores.values.get("criminality") if scores else None
    return BASE_SIZE + SCORE_SIZE * criminality if criminality is not None else BASE_SIZE


def _font_size(data: Mapping[str, Any]) -> int:
    return 14 if data.get("kind") in ("country", "region") else 11


def _box(size: float) -> Box:
    """The room a node takes on the canvas: the page writes labels where they fit, so a node
    needs room for itself only."""
    return Box(half_width=size + 3, half_height=size + 3)


def _projection(
    nxg: nx.MultiDiGraph, view: FlowView, centres: Mapping[str, tuple[float, float]]
) -> Projection:
    """A world map; one centred on the chosen places when the drawing is limited to some."""
    coords = []
    for key in view.countries:
        data = nxg.nodes[key] if key in nxg else {}
        if "lat" in data:
            coords.append((float(data["lat"]), float(data["lon"])))
        elif key in centres:
            coords.append(centres[key])
    focus = spherical_mean(coords)
    return Projection(scale=FOCUS_SCALE, focus=focus) if focus else Projection()


def _default_title(view: FlowView) -> str:
    parts = ["Transnational crime flows"]
    if view.markets:
        parts.append(", ".join(sorted(market_label(m) for m in view.markets)))
    if view.countries:
        parts.append(", ".join(sorted(view.countries)))
    return " — ".join(parts)


class _Drawing:
    """Puts a projection's nodes, arrows and ties into a FlowNetwork, with filter memberships."""

    def __init__(self, g: Graph, view: FlowView, layout: str) -> None:
        self.g, self.view, self.layout = g, view, layout
        self.nxg = to_networkx(g, view)
        for key, data in self.nxg.nodes(data=True):  # a point inside the country's outline
            if data.get("kind") == "country" and "lat" in data and "lon" in data:
                point = (float(data["lat"]), float(data["lon"]))
                data["lat"], data["lon"] = representative_point(key, *point)
        self.refs: dict[str, FlowRef] = flow_refs(g, self.nxg, view)
        self.index = {iri: i for i, iri in enumerate(sorted(self.refs))}
        self.node_flows: dict[str, set[int]] = defaultdict(set)
        for iri, ref in self.refs.items():
            for key in ref.members:
                self.node_flows[key].add(self.index[iri])
        self.labels = {k: str(d.get("label", k)) for k, d in self.nxg.nodes(data=True)}
        #: What the canvas writes under a node: long names cut (the tooltip has them whole).
        self.shown = {k: clip(label, LABEL_CHARS) for k, label in self.labels.items()}
        self.arrows: list[Arrow] = arrows(self.nxg)
        self.passages = flow_passages(g, self.refs)
        self.documents = sorted(
            {doc for a in self.arrows for doc in a.documents}
            | {p.document for ps in self.passages.values() for p in ps if p.document}
        )
        self.coords: dict[str, tuple[float, float]] = {}

    def add_nodes(self, net: FlowNetwork) -> Projection:
        """Every node, shaped and coloured by kind, placed on the map; the projection used."""
        nxg, sty = self.nxg, style()
        regions = [d["iri"] for _, d in nxg.nodes(data=True) if d.get("kind") == "region"]
        key_of = {d["iri"]: k for k, d in nxg.nodes(data=True)}
        centres = {key_of[iri]: c for iri, c in region_centres(self.g, regions).items()}
        centres.update(place_anchors(self.g, nxg))  # cities, checkpoints: never at the edge
        scores = country_scores(self.g)
        sizes = {k: _size(d, scores.get(d.get("iri", ""))) for k, d in nxg.nodes(data=True)}
        fonts = {k: _font_size(d) for k, d in nxg.nodes(data=True)}
        boxes = {k: _box(sizes[k]) for k in nxg.nodes}
        projection = _projection(nxg, self.view, centres)
        positions = geo_positions(nxg, centres, projection=projection, boxes=boxes)
        self.coords = {
            k: (float(d["lat"]), float(d["lon"]))
            for k, d in nxg.nodes(data=True)
            if "lat" in d and "lon" in d
        }
        self.coords.update({k: c for k, c in centres.items() if k not in self.coords})
        n_entities = sum(1 for _, d in nxg.nodes(data=True) if d["kind"] in _ENTITY_KINDS)
        for key in sorted(nxg.nodes):
            data = nxg.nodes[key]
            kind = data.get("kind", "place")
            score = scores.get(data.get("iri", ""))
            colour = sty.kind(kind).colour
            if kind == "country" and (score is None or "criminality" not in score.values):
                colour = sty.unscored
            x, y = positions[key]
            pinned = self.layout == "geo" and kind == "country" and "lat" in data
            # Hidden when the page opens (too many to show): left out of the force layout's
            # physics, and placed beside their neighbours when shown.
            hidden = kind in _ENTITY_KINDS and n_entities > ENTITY_LIMIT
            net.add_node(
                key,
                label=self.shown[key],
                shape=sty.kind(kind).shape,
                color=colour,
                size=sizes[key],
                title=node_title(key, data, score, len(self.node_flows[key])),
                font={"size": fonts[key]},
                x=x,
                y=y,
                fixed=pinned,
                physics=not (pinned or hidden),
                hidden=hidden,
                kind=kind,
                flows=sorted(self.node_flows[key]),
            )
        return projection

    def add_arrows(self, net: FlowNetwork) -> None:
        """One edge per arrow; arrows of several markets between two places curve apart."""
        sty = style()
        order = {m: i for i, m in enumerate(market_order())}
        pair_markets: dict[frozenset[str], set[str]] = defaultdict(set)
        for a in self.arrows:
            pair_markets[frozenset((a.source, a.target))].add(a.market)
        doc_index = {d: i for i, d in enumerate(self.documents)}
        for i, a in enumerate(self.arrows):
            siblings = sorted(pair_markets[frozenset((a.source, a.target))], key=order.__getitem__)
            colour = sty.markets[a.market]
            sources = len(sources_of(a.documents))
            net.add_edge(
                a.source,
                a.target,
                id=f"a{i}",
                kind="flow",
                market=a.market,
                title=arrow_title(a, self.labels),
                color={"color": colour, "highlight": colour, "hover": colour},
                width=width_of(sources),
                sources=sources,
                smooth={
                    "enabled": True,
                    "type": "curvedCW",
                    "roundness": round(0.12 + 0.1 * siblings.index(a.market), 2),
                },
                docs=sorted(doc_index[d] for d in a.documents),
                flows=sorted(self.index[f] for f in a.flows if f in self.index),
            )

    def add_ties(self, net: FlowNetwork) -> None:
        """Commodities, actors and routes to their places; sub-national places to countries."""
        entity_ties = set(TIES.values())
        ties = sorted(
            (u, v, d["kind"]) for u, v, d in self.nxg.edges(data=True) if d["kind"] != "flow"
        )
        for i, (u, v, relation) in enumerate(ties):
            members = self.node_flows[u]
            if relation in entity_ties:
                members = members & self.node_flows[v]
            net.add_edge(
                u,
                v,
                id=f"t{i}",
                kind=relation,
                title=f"{self.labels[u]} — {relation.replace('_', ' ')} — {self.labels[v]}",
                color={"color": style().tie, "opacity": 0.7},
                width=1,
                dashes=True,
                arrows={"to": {"enabled": False}},
                smooth=False,
                hidden=net.node_map[u]["hidden"],
                physics=not net.node_map[u]["hidden"],
                flows=sorted(members),
            )

    def panel(self) -> dict[str, Any]:
        """What the side panel and the time control need: each drawn flow's documents, chain
        and evidence (each text once, with the documents quoting it), and the documents' years."""
        doc_index = {d: i for i, d in enumerate(self.documents)}
        years = document_years(self.g)
        chains = flow_chains(self.nxg, self.labels)
        passages: dict[str, int] = {}  # each text once, with every document quoting it
        quoted_in: list[set[int]] = []
        flow_docs, flow_evidence = [], []
        for iri in sorted(self.refs):
            own = self.passages.get(iri, [])
            ids = []
            for p in own:
                n = passages.setdefault(clip(p.text, PANEL_QUOTE_CHARS), len(passages))
                if n == len(quoted_in):
                    quoted_in.append(set())
                if p.document:
                    quoted_in[n].add(doc_index[p.document])
                ids.append(n)
            flow_evidence.append(sorted(set(ids)))
            flow_docs.append(sorted({doc_index[p.document] for p in own if p.document}))
        return {
            "document_years": [years.get(d) for d in self.documents],
            "years": sorted({years[d] for d in self.documents if d in years}),
            "flow_docs": flow_docs,
            "flow_evidence": flow_evidence,
            "flow_chains": [chains.get(iri, "") for iri in sorted(self.refs)],
            "evidence": [[text, sorted(quoted_in[n])] for text, n in passages.items()],
        }

    def basemap(self, projection: Projection) -> dict[str, Any]:
        """Country outlines (and, on the world map, lines of latitude and longitude) in pixels."""
        outlines = projected_outlines(projection, projection.focus)
        xs = [v for o in outlines for ring in o["rings"] for v in ring[0::2]]
        ys = [v for o in outlines for ring in o["rings"] for v in ring[1::2]]
        return {
            "outlines": outlines,
            # The world view opens on the whole world; a focused one on its nodes.
            "extent": [] if projection.focus or not xs else [min(xs), min(ys), max(xs), max(ys)],
            "graticule": [] if projection.focus else graticule(projection),
            "sphere": [] if projection.focus else sphere(projection),
        }

    def content(self, projection: Projection) -> dict[str, Any]:
        """The legend's, filters' and statistics' data."""
        sty, nxg = style(), self.nxg
        used = [m for m in market_order() if any(a.market == m for a in self.arrows)]
        market_index = {m: i for i, m in enumerate(used)}
        countries = {
            k for ref in self.refs.values() for k in ref.places if nxg.nodes[k]["kind"] == "country"
        }
        kinds: dict[str, int] = defaultdict(int)
        for _, d in nxg.nodes(data=True):
            kinds[d.get("kind", "place")] += 1
        return {
            "projection": {
                "scale": projection.scale,
                "knee": projection.knee,
                "focused": projection.focus is not None,
            },
            "kinds": [
                {
                    "kind": k,
                    "label": s.label,
                    "shape": s.shape,
                    "colour": s.colour,
                    "count": kinds[k],
                }
                for k, s in sty.kinds.items()
            ],
            "markets": [
                {
                    "slug": m,
                    "label": market_label(m),
                    "colour": sty.markets[m],
                    "count": sum(1 for a in self.arrows if a.market == m),
                }
                for m in used
            ],
            "countries": sorted(
                ({"id": k, "label": self.labels[k]} for k in countries), key=lambda c: c["label"]
            ),
            "flows": [
                [market_index.get(self.refs[iri].market, -1), sorted(self.refs[iri].places)]
                for iri in sorted(self.refs)
            ],
            "documents": self.documents,
            "show_entities": kinds["commodity"] + kinds["actor"] + kinds["route"] <= ENTITY_LIMIT,
            "tie_colour": sty.tie,
            "top": TOP_ARROWS if len(self.arrows) > CLUTTER_LIMIT else 0,
            "widths": [[n, width_of(n)] for n in (1, 3, 10)],
            "own_labels": True,
            "basemap": self.basemap(projection) if self.layout == "geo" else None,
            **self.panel(),
        }


def draw(
    g: Graph,
    *,
    markets: Iterable[str] | None = None,
    countries: Iterable[str] | None = None,
    layout: str = "geo",
    title: str | None = None,
    whole_chains: bool = False,
) -> FlowNetwork:
    """The flow network of an RDF graph as a pyvis network (write it with :func:`write_html`).

    ``markets`` (slugs or labels) and ``countries`` (ISO3 codes, region slugs or names) keep
    only the flows of those markets and, of the flows with one of those places as an origin,
    transit or destination, only the legs that start or end there: no arrow drawn is out of
    reach of the chosen places. ``whole_chains`` draws every leg of those flows instead.
    ``layout="geo"`` pins countries at their longitude and latitude (a map centred on the chosen
    countries, if any) and places everything else near them, with no physics; ``"force"``
    starts from there and lets vis-network's physics settle the layout briefly, then stops it.
    """
    if layout not in LAYOUTS:
        raise CrimegraphError(f"unknown layout {layout!r} (known: {', '.join(LAYOUTS)})")
    chosen = resolve_places(g, countries or ())
    if whole_chains and not chosen:
        raise CrimegraphError("--whole-chains needs --country: the chains of which flows?")
    view = FlowView(
        markets=resolve_markets(markets or ()),
        countries=chosen,
        legs_touching=bool(chosen) and not whole_chains,
    )
    drawing = _Drawing(g, view, layout)
    net = FlowNetwork(PageData(title or _default_title(view), layout))
    net.options = _options(layout)
    projection = drawing.add_nodes(net)
    drawing.add_arrows(net)
    drawing.add_ties(net)
    net.page.content = drawing.content(projection)
    net.page.coords = drawing.coords
    net.page.labels = drawing.labels
    net.page.flow_iris = sorted(drawing.refs)
    net.page.flow_evidence = [[p.iri for p in drawing.passages[f]] for f in net.page.flow_iris]
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

    A fresh nonce lets only the page's own two scripts run, and the Content-Security-Policy
    forbids every request: a second line of defence behind the escaping.
    """
    opts = options if isinstance(options, dict) else json.loads(options.to_json())
    return (
        _environment()
        .get_template("flows.html")
        .render(
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
    )


def page_html(net: Network) -> str:
    """The self-contained page of a pyvis network: a drawn one, or one built by hand."""
    if isinstance(net, FlowNetwork):
        return net.generate_html()
    physics = net.options.get("physics", {}) if isinstance(net.options, dict) else {}
    layout = "geo" if physics.get("enabled") is False else "force"
    return render_page(
        PageData(net.heading or "network", layout), net.nodes, net.edges, net.options
    )


def write_html(
    net_or_graph: Network | Graph, path: str | os.PathLike[str], **draw_args: Any
) -> Path:
    """Write a drawn network (or draw an RDF graph with ``draw_args``) to one HTML file, atomically.

    Nothing else is written: no ``lib/`` folder, no copy of vis-network beside the page.
    """
    net = draw(net_or_graph, **draw_args) if isinstance(net_or_graph, Graph) else net_or_graph
    text = page_html(net)
    target = Path(path)
    with atomic_write(target) as fh:
        fh.write(text)
    return target
