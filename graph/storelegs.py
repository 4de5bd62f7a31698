"""Flow legs, land borders, names and scores read from a build's store with SPARQL.

:mod:`graph.routes` and :mod:`graph.neighbours` answer from an rdflib graph through the NetworkX
projection (:mod:`graph.network`); importing rdflib and NetworkX alone takes longer than the
whole answer may. This module reads the same facts from the persistent store with a few
SPARQL queries and holds them in plain dictionaries, for :mod:`graph.storeroutes`: one leg per
(from, to) with the passages that state it, keyed and labelled exactly as the projection keys
and labels its nodes (ISO3 code, region slug, ``kind:slug``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from graph import iris
from graph.diskstore import OpenGraph
from graph.storequery import StoreTerm, run_store_query

#: Node kinds by RDF class, as :data:`graph.network.NODE_KINDS`.
NODE_KINDS: dict[str, str] = {
    iris.CG + "Country": "country",
    iris.CG + "Region": "region",
    iris.CG + "BorderCheckpoint": "checkpoint",
    iris.CG + "SubnationalPlace": "subnational",
    iris.CG + "City": "subnational",
    iris.CG + "Valley": "subnational",
    iris.CG + "River": "subnational",
    iris.CG + "Commodity": "commodity",
    iris.CG + "Actor": "actor",
    iris.CG + "Route": "route",
}


@dataclass(frozen=True)
class Passage:
    """One passage that states a flow (the fields of :class:`graph.routes.Statement`)."""

    flow: str
    market: str
    commodity: str
    evidence: str
    document: str
    hedge: str | None
    checkpoints: tuple[str, ...]

    def key(self) -> tuple[str, str, str, str]:
        return (self.market, self.document, self.evidence, self.flow)


@dataclass
class Legs:
    """The leg graph: nodes with their kind and label, and each (from, to) with its passages."""

    kinds: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    passages: dict[tuple[str, str], list[Passage]] = field(default_factory=dict)
    succ: dict[str, set[str]] = field(default_factory=dict)
    pred: dict[str, set[str]] = field(default_factory=dict)
    #: The flows that state each (from, to), each once, and the market of each flow.
    flows: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    market_of: dict[str, str] = field(default_factory=dict)
    nodes: _Nodes | None = None

    def add(self, u: str, v: str, passages: list[Passage]) -> None:
        self.passages.setdefault((u, v), []).extend(passages)
        self.succ.setdefault(u, set()).add(v)
        self.pred.setdefault(v, set()).add(u)
        self.succ.setdefault(v, set())
        self.pred.setdefault(u, set())

    def remove(self, nodes: Iterable[str]) -> None:
        for n in list(nodes):
            for v in self.succ.pop(n, set()):
                self.pred[v].discard(n)
                self.passages.pop((n, v), None)
            for u in self.pred.pop(n, set()):
                self.succ[u].discard(n)
                self.passages.pop((u, n), None)

    def documents(self, u: str, v: str) -> int:
        return len({p.document for p in self.passages[(u, v)]})


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _string(text: str) -> str:
    import pyoxigraph as ox

    return str(ox.Literal(text))


def _values(var: str, items: Iterable[str]) -> str:
    return f"VALUES ?{var} {{ {' '.join(f'<{i}>' for i in items)} }}"


_FLOWS = """
SELECT DISTINCT ?flow ?m ?mslug WHERE {
  %s
  ?flow a cg:Flow ; cg:market ?m . OPTIONAL { ?m cg:slug ?mslug }
}"""

# Narrows the flows to those of some markets (by IRI; the slug is checked after).
_OF_MARKETS = "VALUES ?m { %s }"

# Narrows the flows to those with a place of some countries in their chain.
_TOUCHING = """VALUES ?code { %s }
  ?place cg:iso3 ?code .
  ?flow cg:origin|cg:destination|cg:transit/cg:stagePlace ?place ."""

_STAGES = """
SELECT ?flow ?role ?stage ?pos ?place WHERE {
  %s
  { ?flow cg:origin ?place BIND ("o" AS ?role) }
  UNION { ?flow cg:transit ?stage . ?stage cg:stagePlace ?place .
          OPTIONAL { ?stage cg:position ?pos } BIND ("t" AS ?role) }
  UNION { ?flow cg:destination ?place BIND ("d" AS ?role) }
}"""

_NODES = """
SELECT ?node ?iso3 ?slug ?type ?pref ?label WHERE {
  %s
  OPTIONAL { ?node cg:iso3 ?iso3 }
  OPTIONAL { ?node cg:slug ?slug }
  OPTIONAL { ?node a ?type }
  OPTIONAL { ?node skos:prefLabel ?pref }
  OPTIONAL { ?node rdfs:label ?label }
}"""

_PASSAGES = """
SELECT ?flow ?commodity ?evidence ?text ?file ?hedge WHERE {
  %s
  OPTIONAL { ?flow cg:commodity ?commodity }
  ?flow cg:evidence ?evidence .
  OPTIONAL { ?evidence cg:text ?text }
  OPTIONAL { ?evidence prov:wasQuotedFrom ?doc . ?doc cg:fileName ?file }
  OPTIONAL { ?evidence cg:hedge ?hedge }
}"""

_CHECKPOINTS = """
SELECT ?flow ?checkpoint WHERE { %s ?flow cg:checkpoint ?checkpoint }"""

_BORDERS = """
SELECT DISTINCT ?a ?b WHERE { ?x cg:borders ?y . ?x cg:iso3 ?a . ?y cg:iso3 ?b }"""


class _Nodes:
    """Keys, kinds and labels of nodes, read in one query for many nodes."""

    def __init__(self, graph: OpenGraph) -> None:
        self.graph = graph
        self.info: dict[str, dict[str, Any]] = {}

    def load(self, nodes: Iterable[str]) -> None:
        todo = sorted(set(nodes) - set(self.info))
        if not todo:
            return
        for node in todo:
            self.info[node] = {"iso3": None, "slug": None, "kinds": [], "pref": None, "label": None}
        rows = run_store_query(self.graph, _NODES % _values("node", todo)).rows
        for row in rows:
            info = self.info[row["node"]]
            for key in ("iso3", "slug", "pref", "label"):
                if row[key] is not None and info[key] is None:
                    info[key] = str(row[key])
            kind = NODE_KINDS.get(row["type"] or "")
            if kind and kind not in info["kinds"]:
                info["kinds"].append(kind)

    def kind(self, node: str) -> str:
        kinds = self.info[node]["kinds"]
        return str(kinds[0]) if kinds else "place"

    def key(self, node: str) -> str:
        info = self.info[node]
        if info["iso3"]:
            return str(info["iso3"])
        slug = info["slug"] or _local(node)
        kind = self.kind(node)
        return str(slug) if kind == "region" else f"{kind}:{slug}"

    def label(self, node: str) -> str:
        info = self.info[node]
        return str(info["pref"] or info["label"] or _local(node))


def _stages(rows: list[dict[str, Any]]) -> dict[str, list[list[str]]]:
    """Each flow's chain: origins, each transit stage by position, destinations (non-empty)."""
    parts: dict[str, dict[str, Any]] = {}
    for row in rows:
        flow: dict[str, Any] = parts.setdefault(row["flow"], {"o": set(), "d": set(), "t": {}})
        if row["role"] == "t":
            stage = flow["t"].setdefault(row["stage"], [row["pos"], set()])
            stage[1].add(row["place"])
        else:
            flow[row["role"]].add(row["place"])
    out: dict[str, list[list[str]]] = {}
    for name, p in parts.items():
        transit = sorted(p["t"].values(), key=lambda s: int(s[0]) if s[0] is not None else 0)
        chain = [sorted(p["o"]), *(sorted(s[1]) for s in transit), sorted(p["d"])]
        out[name] = [s for s in chain if s]
    return out


def read_legs(
    graph: OpenGraph,
    markets: frozenset[str] = frozenset(),
    countries: frozenset[str] = frozenset(),
    *,
    texts: bool = True,
) -> Legs:
    """The leg graph of the flows of ``markets`` and touching ``countries`` (codes; empty sets
    keep every flow), as :func:`graph.routes.leg_graph` builds it from the projection.

    Without ``texts``, each passage holds its flow and document only (enough to count the
    documents of a leg); :func:`fill_passages` reads the rest for the legs that are shown.
    """
    narrow = ""
    if markets:
        narrow += _OF_MARKETS % " ".join(f"<{iris.CGV}{m}>" for m in sorted(markets))
    if countries:
        codes = " ".join(_string(c) for c in sorted(countries))
        narrow += _TOUCHING % codes
    flows: dict[str, str] = {}
    for row in run_store_query(graph, _FLOWS % narrow).rows:
        slug = row["mslug"] or _local(row["m"])
        if not markets or slug in markets:
            flows[row["flow"]] = slug
    legs = Legs()
    if not flows:
        return legs
    chains = _stages(run_store_query(graph, _STAGES % _values("flow", flows)).rows)
    nodes = _Nodes(graph)
    nodes.load(p for chain in chains.values() for stage in chain for p in stage)
    if countries:
        chains = {
            f: chain
            for f, chain in chains.items()
            if {nodes.key(p) for stage in chain for p in stage} & countries
        }
    kept = sorted(chains)
    if not kept:
        return legs
    legs.market_of = {f: flows[f] for f in kept}
    legs.nodes = nodes
    if texts:
        passages = _passages(graph, nodes, legs.market_of)
    else:
        passages = _documents(graph, legs.market_of)
    edges = legs.flows
    for flow in kept:
        chain = chains[flow]
        for before, after in pairwise(chain):
            for a in before:
                for b in after:
                    u, v = nodes.key(a), nodes.key(b)
                    if u == v:
                        continue
                    for n, iri in ((u, a), (v, b)):
                        legs.kinds.setdefault(n, nodes.kind(iri))
                        legs.labels.setdefault(n, nodes.label(iri))
                    flows_of_edge = edges.setdefault((u, v), [])
                    if flow not in flows_of_edge:  # a flow states a leg once
                        flows_of_edge.append(flow)
    for (u, v), edge_flows in edges.items():
        found = [p for f in edge_flows for p in passages.get(f, [])]
        legs.add(u, v, sorted(found, key=Passage.key))
    return legs


def fill_passages(graph: OpenGraph, legs: Legs, shown: list[tuple[str, str]]) -> None:
    """Read the whole passages (text, commodity, hedge, checkpoints) of the ``shown`` legs of
    ``legs`` read without texts."""
    flows = {f: legs.market_of[f] for edge in shown for f in legs.flows[edge]}
    if not flows or legs.nodes is None:
        return
    passages = _passages(graph, legs.nodes, flows)
    for edge in shown:
        found = [p for f in legs.flows[edge] for p in passages.get(f, [])]
        legs.passages[edge] = sorted(found, key=Passage.key)


_DOCUMENTS = """
SELECT ?flow ?evidence ?file WHERE {
  %s
  ?flow cg:evidence ?evidence .
  OPTIONAL { ?evidence prov:wasQuotedFrom ?doc . ?doc cg:fileName ?file }
}"""


def _documents(graph: OpenGraph, flows: dict[str, str]) -> dict[str, list[Passage]]:
    """Each flow's passages with their document only."""
    out: dict[str, list[Passage]] = {}
    seen: set[tuple[str, str]] = set()
    for row in run_store_query(graph, _DOCUMENTS % _values("flow", flows)).rows:
        if (row["flow"], row["evidence"]) in seen:
            continue
        seen.add((row["flow"], row["evidence"]))
        document = str(row["file"] or "")
        out.setdefault(row["flow"], []).append(
            Passage(row["flow"], flows[row["flow"]], "", row["evidence"], document, None, ())
        )
    return out


def _passages(graph: OpenGraph, nodes: _Nodes, flows: dict[str, str]) -> dict[str, list[Passage]]:
    """The passages of each flow, with its market, commodity label and checkpoint labels."""
    values = _values("flow", flows)
    rows = run_store_query(graph, _PASSAGES % values).rows
    checkpoints: dict[str, list[str]] = {}
    cp_rows = run_store_query(graph, _CHECKPOINTS % values).rows
    nodes.load(
        [r["checkpoint"] for r in cp_rows] + [r["commodity"] for r in rows if r["commodity"]]
    )
    for row in cp_rows:
        checkpoints.setdefault(row["flow"], []).append(nodes.label(row["checkpoint"]))
    seen: set[tuple[str, str]] = set()
    out: dict[str, list[Passage]] = {}
    for row in rows:
        if (row["flow"], row["evidence"]) in seen:
            continue
        seen.add((row["flow"], row["evidence"]))
        commodity = nodes.label(row["commodity"]) if row["commodity"] else ""
        out.setdefault(row["flow"], []).append(
            Passage(
                flow=row["flow"],
                market=flows[row["flow"]],
                commodity=commodity,
                evidence=str(row["text"] or ""),
                document=str(row["file"] or ""),
                hedge=str(row["hedge"]) if row["hedge"] is not None else None,
                checkpoints=tuple(sorted(checkpoints.get(row["flow"], []))),
            )
        )
    return out


def read_borders(graph: OpenGraph) -> dict[str, set[str]]:
    """Countries and their land neighbours (``cg:borders``), both ways."""
    out: dict[str, set[str]] = {}
    for row in run_store_query(graph, _BORDERS).rows:
        a, b = str(row["a"]), str(row["b"])
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return out


def country_names(graph: OpenGraph, codes: Iterable[str]) -> dict[str, str]:
    """The ``rdfs:label`` of each country code that has one."""
    iri = {f"{iris.CGI}country/{c}": c for c in codes}
    if not iri:
        return {}
    query = f"SELECT ?c ?label WHERE {{ {_values('c', iri)} ?c rdfs:label ?label }}"
    out: dict[str, str] = {}
    for row in run_store_query(graph, query).rows:
        out.setdefault(iri[row["c"]], str(row["label"]))
    return out


def read_scores(graph: OpenGraph, codes: Iterable[str]) -> dict[str, dict[tuple[str, int], float]]:
    """The Index scores of each country, by (indicator slug, edition)."""
    iri = {f"{iris.CGI}country/{c}": c for c in codes}
    out: dict[str, dict[tuple[str, int], float]] = {c: {} for c in iri.values()}
    if not iri:
        return out
    query = f"""SELECT ?c ?indicator ?edition ?value WHERE {{ {_values("c", iri)}
      ?obs cg:country ?c ; cg:indicator ?indicator ; cg:edition ?edition ; cg:value ?value }}"""
    for row in run_store_query(graph, query).rows:
        edition, value = row["edition"], row["value"]
        if not isinstance(edition, int) or not isinstance(value, int | float):
            continue
        slug = str(row["indicator"]).removeprefix(iris.CGV)
        out[iri[row["c"]]][(slug, edition)] = float(value)
    return out


def border_checkpoints(graph: OpenGraph, a: str, b: str) -> tuple[str, ...]:
    """Names of the checkpoints on the border of countries ``a`` and ``b``."""
    query = """SELECT ?cp ?label WHERE { ?cp cg:onBorderOf ?a , ?b .
      OPTIONAL { ?cp rdfs:label ?label } }"""
    bindings = {
        "a": StoreTerm(_named(f"{iris.CGI}country/{a}")),
        "b": StoreTerm(_named(f"{iris.CGI}country/{b}")),
    }
    found = {str(r["label"] or r["cp"]) for r in run_store_query(graph, query, bindings).rows}
    return tuple(sorted(found))


def _named(value: str) -> Any:
    import pyoxigraph as ox

    return ox.NamedNode(value)


def indicator_order(graph: OpenGraph) -> tuple[list[str], set[str]]:
    """The indicator slugs in the Index's order (``cgv:index-order``) and the aggregate ones."""
    rows = run_store_query(
        graph,
        """SELECT ?node ?first ?rest WHERE {
             cgv:index-order skos:memberList ?head . ?head rdf:rest* ?node .
             ?node rdf:first ?first ; rdf:rest ?rest }""",
    ).rows
    head = run_store_query(
        graph, "SELECT ?head WHERE { cgv:index-order skos:memberList ?head }"
    ).rows
    links = {r["node"]: (r["first"], r["rest"]) for r in rows}
    order: list[str] = []
    node = head[0]["head"] if head else None
    while node in links:
        first, node = links[node]
        order.append(str(first).removeprefix(iris.CGV))
    aggregates = {
        str(r["c"]).removeprefix(iris.CGV)
        for r in run_store_query(
            graph,
            """SELECT ?c WHERE { ?c skos:inScheme ?s . ?s cg:indicatorGroup "aggregate" }""",
        ).rows
    }
    return order, aggregates
