"""The records of :mod:`graph.legcore` read from a build's Oxigraph store with SPARQL.

:mod:`graph.rdffacts` reads the same records from an rdflib graph; the meaning of them (legs,
sources, routes, hubs, implied transit, neighbours) is computed once, in :mod:`graph.legcore`.
Reading a few whole-graph queries and holding the answers in plain dictionaries keeps this path
free of rdflib and NetworkX, whose imports alone take longer than a whole answer may.
Places are keyed, kinded and labelled as the NetworkX projection (:mod:`graph.network`) does.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from graph import iris
from graph.diskstore import OpenGraph
from graph.iris import QUERY_PREFIX_IRIS
from graph.legcore import Evidence, FlowRecord, Place
from graph.storequery import run_store_query
from graph.transit import Point

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

_FLOWS = """
SELECT ?flow ?m ?mslug ?commodity ?precursor WHERE {
  %s
  OPTIONAL { ?flow cg:market ?m . OPTIONAL { ?m cg:slug ?mslug } }
  OPTIONAL { ?flow cg:commodity ?commodity .
             OPTIONAL { ?commodity a ?precursor . FILTER (?precursor = cg:Precursor) } }
}"""

_STAGES = """
SELECT ?flow ?role ?stage ?pos ?place WHERE {
  %s
  { ?flow cg:origin ?place BIND ("o" AS ?role) }
  UNION { ?flow cg:transit ?stage . ?stage cg:stagePlace ?place .
          OPTIONAL { ?stage cg:position ?pos } BIND ("t" AS ?role) }
  UNION { ?flow cg:destination ?place BIND ("d" AS ?role) }
}"""

# The places, commodities and checkpoints the flows name, asked for by IRI: the other queries
# have read them already, so they are not found again through every flow's paths.
_NODES = """
SELECT ?node ?iso3 ?slug ?type ?pref ?label WHERE {
  %s
  OPTIONAL { ?node cg:iso3 ?iso3 }
  OPTIONAL { ?node cg:slug ?slug }
  OPTIONAL { ?node a ?type }
  OPTIONAL { ?node skos:prefLabel ?pref }
  OPTIONAL { ?node rdfs:label ?label }
}"""

# A document is quoted by many passages: its name and series are read once, by _DOCUMENTS.
_EVIDENCE = """
SELECT ?flow ?evidence ?doc ?hedge ?passage WHERE {
  %s
  ?flow cg:evidence ?evidence .
  OPTIONAL { ?evidence prov:wasQuotedFrom ?doc }
  OPTIONAL { ?evidence cg:hedge ?hedge }
  OPTIONAL { ?evidence cg:passage ?passage }
}"""

_DOCUMENTS = """
SELECT ?doc ?file ?series WHERE {
  %s
  OPTIONAL { ?doc cg:fileName ?file }
  OPTIONAL { ?doc cg:series ?series }
}"""

_CHECKPOINTS = "SELECT ?flow ?checkpoint WHERE { %s ?flow cg:checkpoint ?checkpoint }"

# The flows to read: of some markets (by IRI), touching some countries (by code), or all.
_SELECT = """SELECT DISTINCT ?flow WHERE { %s ?flow a cg:Flow . %s }"""
_OF_MARKETS = "VALUES ?m { %s } ?flow cg:market ?m ."
_TOUCHING = """VALUES ?code { %s } ?place cg:iso3 ?code .
  ?flow cg:origin|cg:destination|cg:transit/cg:stagePlace ?place ."""

_BORDERS = """
SELECT DISTINCT ?a ?b WHERE { ?x cg:borders ?y . ?x cg:iso3 ?a . ?y cg:iso3 ?b }"""

_POINTS = """
SELECT ?code ?lat ?lon WHERE { ?c a cg:Country ; cg:iso3 ?code ; geo:lat ?lat ; geo:long ?lon }"""


def _values(items: list[str] | set[str], name: str = "flow") -> str:
    return f"VALUES ?{name} {{ {' '.join(f'<{i}>' for i in sorted(items))} }}"


def _string(text: str) -> str:
    import pyoxigraph as ox

    return str(ox.Literal(text))


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


class _Node:
    """What the projection reads of a node: its code, slug, kinds and labels."""

    def __init__(self) -> None:
        self.iso3: str | None = None
        self.slug: str | None = None
        self.kinds: list[str] = []
        self.pref: str | None = None
        self.label: str | None = None


class StoreFacts:
    """The facts of a build's store (see :class:`graph.legcore.Facts`)."""

    def __init__(self, graph: OpenGraph) -> None:
        self.graph = graph
        self._flows: dict[
            tuple[frozenset[str], frozenset[str], bool, frozenset[str]], list[FlowRecord]
        ] = {}
        self._records: dict[str, FlowRecord] = {}
        self._nodes: dict[str, _Node] = {}
        self._texts: dict[str, str] = {}

    def _rows(self, text: str) -> list[dict[str, Any]]:
        """The rows of one of this module's own queries, each term by its value (a literal's
        lexical form): without the checks and conversions of :func:`run_store_query`, which
        these fixed queries do not need."""
        answer = self.graph.store.query(
            text, prefixes=QUERY_PREFIX_IRIS, use_default_graph_as_union=self.graph.union
        )
        columns = [v.value for v in answer.variables]  # type: ignore[union-attr]
        return [
            {c: (term.value if (term := row[c]) is not None else None) for c in columns}
            for row in answer  # type: ignore[union-attr]
        ]

    def _load_nodes(self, values: str) -> None:
        for row in self._rows(_NODES % values):
            info = self._nodes.setdefault(row["node"], _Node())
            if row["iso3"] is not None and info.iso3 is None:
                info.iso3 = str(row["iso3"])
            if row["slug"] is not None and info.slug is None:
                info.slug = str(row["slug"])
            if row["pref"] is not None and info.pref is None:
                info.pref = str(row["pref"])
            if row["label"] is not None and info.label is None:
                info.label = str(row["label"])
            kind = NODE_KINDS.get(row["type"] or "")
            if kind and kind not in info.kinds:
                info.kinds.append(kind)

    def _place(self, node: str) -> Place:
        info = self._nodes.get(node) or _Node()
        kind = info.kinds[0] if info.kinds else "place"
        slug = info.slug or _local(node)
        if info.iso3:
            key = info.iso3
        elif kind == "region":
            key = slug
        else:
            key = f"{kind}:{slug}"
        hub = info.iso3 or info.slug or node.rsplit("/", 1)[-1]
        return Place(key, kind, info.pref or info.label or _local(node), hub, info.label or hub)

    def _label(self, node: str) -> str:
        return self._place(node).label

    def _load(self, flows: list[str]) -> None:
        """Read the records of ``flows`` (IRIs) not read yet."""
        todo = sorted(set(flows) - set(self._records))
        if not todo:
            return
        values = _values(todo)
        flow_rows = self._rows(_FLOWS % values)
        parts: dict[str, dict[str, Any]] = {}
        for row in self._rows(_STAGES % values):
            flow: dict[str, Any] = parts.setdefault(row["flow"], {"o": set(), "d": set(), "t": {}})
            if row["role"] == "t":
                stage = flow["t"].setdefault(row["stage"], [row["pos"], set()])
                stage[1].add(row["place"])
            else:
                flow[row["role"]].add(row["place"])
        checkpoint_rows = self._rows(_CHECKPOINTS % values)
        nodes = {r["commodity"] for r in flow_rows if r["commodity"] is not None}
        nodes.update(r["checkpoint"] for r in checkpoint_rows)
        for p in parts.values():
            nodes.update(p["o"], p["d"], *(s[1] for s in p["t"].values()))
        if nodes - set(self._nodes):
            self._load_nodes(_values(nodes - set(self._nodes), "node"))
        head: dict[str, tuple[str, str, bool]] = {}
        for row in flow_rows:
            if row["flow"] in head:
                continue
            market = (row["mslug"] or _local(row["m"])) if row["m"] is not None else ""
            commodity = self._label(row["commodity"]) if row["commodity"] else ""
            head[row["flow"]] = (str(market), commodity, row["precursor"] is not None)
        checkpoints: dict[str, list[str]] = {}
        for row in checkpoint_rows:
            checkpoints.setdefault(row["flow"], []).append(self._label(row["checkpoint"]))
        evidence_rows = self._rows(_EVIDENCE % values)
        documents: dict[str, tuple[str, str]] = {}
        quoted = {r["doc"] for r in evidence_rows if r["doc"] is not None}
        if quoted:
            for row in self._rows(_DOCUMENTS % _values(quoted, "doc")):
                documents.setdefault(row["doc"], (str(row["file"] or ""), str(row["series"] or "")))
        evidence: dict[str, dict[str, Evidence]] = {}
        for row in evidence_rows:
            found = evidence.setdefault(row["flow"], {})
            if row["evidence"] in found:
                continue
            file, series = documents.get(row["doc"], ("", "")) if row["doc"] else ("", "")
            found[row["evidence"]] = Evidence(
                node=row["evidence"],
                text="",
                document=file,
                doc_node=str(row["doc"] or ""),
                hedge=str(row["hedge"]) if row["hedge"] is not None else None,
                passage=str(row["passage"] or ""),
                series=series,
            )
        for name in todo:
            if name not in head:
                continue
            market, commodity, precursor = head[name]
            p = parts.get(name, {"o": set(), "d": set(), "t": {}})
            transit = sorted(p["t"].values(), key=lambda s: _number(s[0]))
            stages = [sorted(p["o"]), *(sorted(s[1]) for s in transit), sorted(p["d"])]
            chain = tuple(tuple(self._place(n) for n in stage) for stage in stages if stage)
            self._records[name] = FlowRecord(
                flow=name,
                market=market,
                commodity=commodity,
                precursor=precursor,
                chain=chain,
                transit=tuple(self._place(n) for s in transit for n in s[1]),
                checkpoints=tuple(sorted(checkpoints.get(name, []))),
                evidence=tuple(evidence.get(name, {}).values()),
            )

    def flows(
        self,
        markets: frozenset[str] = frozenset(),
        countries: frozenset[str] = frozenset(),
        *,
        transit: bool = False,
        through: frozenset[str] = frozenset(),
    ) -> list[FlowRecord]:
        key = (markets, countries, transit, through)
        if key not in self._flows and markets and not countries:
            for (m, c, t, h), wider in list(self._flows.items()):  # a wider read holds them
                if (
                    m
                    and markets <= m
                    and not c
                    and (transit or not t)
                    and (not h or (through and through <= h))
                ):
                    self._flows[key] = [
                        r
                        for r in wider
                        if r.market in markets
                        and (r.transit or not transit)
                        and (not through or {p.hub for p in r.transit} & through)
                    ]
                    break
        if key not in self._flows:
            narrow = "?flow cg:transit/cg:stagePlace [] ." if transit else ""
            if through:
                codes = " ".join(_string(c) for c in sorted(through))
                narrow = f"VALUES ?tc {{ {codes} }} ?flow cg:transit/cg:stagePlace/cg:iso3 ?tc ."
            if markets:
                named = " ".join(f"<{iris.CGV}{m}>" for m in sorted(markets))
                narrow += _OF_MARKETS % named
            if countries:
                narrow += _TOUCHING % " ".join(_string(c) for c in sorted(countries))
            found = sorted({r["flow"] for r in self._rows(_SELECT % ("", narrow))})
            self._load(found)
            self._flows[key] = [
                r
                for r in (self._records[f] for f in found if f in self._records)
                if (not markets or r.market in markets)
                and (not countries or {p.key for s in r.chain for p in s} & countries)
                and (r.transit or not transit)
                and (not through or {p.hub for p in r.transit} & through)
            ]
        return self._flows[key]

    def complete(self, records: list[FlowRecord]) -> list[FlowRecord]:
        todo = sorted({e.node for r in records for e in r.evidence if e.node not in self._texts})
        if todo:
            values = "VALUES ?evidence { " + " ".join(f"<{e}>" for e in todo) + " }"
            for e in todo:
                self._texts[e] = ""
            query = f"SELECT ?evidence ?text WHERE {{ {values} ?evidence cg:text ?text }}"
            for row in self._rows(query):
                if not self._texts[row["evidence"]]:
                    self._texts[row["evidence"]] = str(row["text"] or "")
        return [
            dataclasses.replace(
                r,
                evidence=tuple(
                    dataclasses.replace(e, text=self._texts[e.node]) for e in r.evidence
                ),
            )
            for r in records
        ]

    @functools.cached_property
    def _borders(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for row in self._rows(_BORDERS):
            a, b = str(row["a"]), str(row["b"])
            out.setdefault(a, set()).add(b)
            out.setdefault(b, set()).add(a)
        return out

    def borders(self) -> dict[str, set[str]]:
        return self._borders

    @functools.cached_property
    def _points(self) -> dict[str, Point]:
        out: dict[str, Point] = {}
        for row in self._rows(_POINTS):
            try:
                out[str(row["code"])] = (float(row["lat"]), float(row["lon"]))
            except (TypeError, ValueError):
                continue
        return out

    def points(self) -> dict[str, Point]:
        return self._points

    @functools.cached_property
    def _drugs(self) -> frozenset[str]:
        rows = self._rows("SELECT ?m WHERE { ?m skos:broader cgv:drug-trade }")
        return frozenset(str(r["m"]).removeprefix(iris.CGV) for r in rows)

    def is_drug_market(self, slug: str) -> bool:
        return slug in self._drugs

    @functools.cached_property
    def _names(self) -> dict[str, str]:
        prefix = f"{iris.CGI}country/"
        out: dict[str, str] = {}
        query = "SELECT ?c ?label WHERE { ?c a cg:Country ; rdfs:label ?label }"
        for row in self._rows(query):
            if str(row["c"]).startswith(prefix):
                out.setdefault(str(row["c"]).removeprefix(prefix), str(row["label"]))
        return out

    def name(self, iso3: str) -> str:
        return self._names.get(iso3, iso3)

    def scores(self, iso3: str) -> dict[tuple[str, int], float]:
        query = f"""SELECT ?indicator ?edition ?value WHERE {{
          ?obs cg:country <{iris.CGI}country/{iso3}> ; cg:indicator ?indicator ;
               cg:edition ?edition ; cg:value ?value }}"""
        out: dict[tuple[str, int], float] = {}
        for row in run_store_query(self.graph, query).rows:
            edition, value = row["edition"], row["value"]
            if not isinstance(edition, int) or not isinstance(value, int | float):
                continue
            out[(str(row["indicator"]).removeprefix(iris.CGV), edition)] = float(value)
        return out

    def border_checkpoints(self, a: str, b: str) -> tuple[str, ...]:
        query = f"""SELECT ?cp ?label WHERE {{
          ?cp cg:onBorderOf <{iris.CGI}country/{a}> , <{iris.CGI}country/{b}> .
          OPTIONAL {{ ?cp rdfs:label ?label }} }}"""
        return tuple(sorted({str(r["label"] or r["cp"]) for r in self._rows(query)}))

    def indicator_order(self) -> list[str]:
        rows = self._rows(
            """SELECT ?node ?first ?rest WHERE {
                 cgv:index-order skos:memberList ?head . ?head rdf:rest* ?node .
                 ?node rdf:first ?first ; rdf:rest ?rest }"""
        )
        head = self._rows("SELECT ?head WHERE { cgv:index-order skos:memberList ?head }")
        links = {r["node"]: (r["first"], r["rest"]) for r in rows}
        order: list[str] = []
        node = head[0]["head"] if head else None
        while node in links:
            first, node = links[node]
            order.append(str(first).removeprefix(iris.CGV))
        return order

    def aggregates(self) -> frozenset[str]:
        """The slugs of the aggregate indicators (the command line's summary of scores)."""
        rows = self._rows(
            """SELECT ?c WHERE { ?c skos:inScheme ?s . ?s cg:indicatorGroup "aggregate" }"""
        )
        return frozenset(str(r["c"]).removeprefix(iris.CGV) for r in rows)


def _number(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
