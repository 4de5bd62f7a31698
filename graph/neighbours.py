"""A country's land neighbours and what ties it to each: border flows, checkpoints, scores.

Neighbours come from the reference borders in the graph (``cg:borders``, from
``data/reference``), not from the documents. For each neighbour: the flow legs across that
border in each direction, grouped by market; the checkpoints that sit on that border; and both
countries' Index scores side by side. Legs to or from countries that are not neighbours are
listed too, with how they may run (:mod:`graph.transit`: direct by sea or air first, then
chains through countries the graph states those markets' flows through; inferred, never stated).

>>> from graph.rdf import build_graph
>>> from graph.records import Document, DocumentFlows, Flow
>>> text = "Heroin moves from Afghanistan via Kazakhstan to Russia."
>>> flow = Flow("heroin-trade", "heroin", ["AFG"], ["KAZ"], ["RUS"], evidence=text)
>>> g = build_graph([Document("d.txt", "report", text)], [], [DocumentFlows("d.txt", None, [flow])])
>>> report = neighbours(g, "Kazakhstan")
>>> [n.iso3 for n in report.neighbours]
['CHN', 'KGZ', 'RUS', 'TKM', 'UZB']
>>> [(c.market, c.source, c.target) for c in report.neighbour("RUS").outgoing]
[('heroin-trade', 'KAZ', 'RUS')]
>>> [(p.iso3, [s.kind for s in p.implied.suggestions]) for p in report.distant]
[('AFG', ['direct'])]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
from rdflib import Graph, Literal
from rdflib.namespace import RDFS

from graph.errors import CrimegraphError
from graph.hubs import transit_tallies
from graph.legs import Statement, land_borders, leg_graph
from graph.namespaces import CG, CGV
from graph.network import FlowView
from graph.query import country_code
from graph.rdf import country_iri
from graph.transit import ImpliedTransit, country_points, suggest


@dataclass(frozen=True)
class Crossing:
    """The flows of one market that state a leg from ``source`` to ``target``."""

    market: str
    source: str
    target: str
    statements: tuple[Statement, ...]

    @property
    def checkpoints(self) -> tuple[str, ...]:
        """The checkpoints the flows of this crossing name."""
        return tuple(sorted({c for s in self.statements for c in s.checkpoints}))


@dataclass(frozen=True)
class ScorePair:
    """One indicator of one edition, scored for the country and for its partner (None: unscored)."""

    indicator: str
    edition: int
    country: float | None
    partner: float | None


@dataclass(frozen=True)
class Neighbour:
    """A land neighbour and the ties across the common border."""

    iso3: str
    name: str
    #: Legs from the country into the neighbour, one crossing per market.
    outgoing: tuple[Crossing, ...]
    #: Legs from the neighbour into the country, one crossing per market.
    incoming: tuple[Crossing, ...]
    #: Checkpoints on this border (``cg:onBorderOf`` both countries).
    checkpoints: tuple[str, ...]
    scores: tuple[ScorePair, ...]


@dataclass(frozen=True)
class DistantPartner:
    """A country without a common border that flows join directly to the country."""

    iso3: str
    name: str
    outgoing: tuple[Crossing, ...]
    incoming: tuple[Crossing, ...]
    #: How those legs may run: direct, or chains of neighbours (inferred, never stated).
    implied: ImpliedTransit


@dataclass(frozen=True)
class NeighbourReport:
    """A country, its land neighbours, and its direct flow partners that are not neighbours."""

    iso3: str
    name: str
    neighbours: tuple[Neighbour, ...]
    distant: tuple[DistantPartner, ...]

    def neighbour(self, iso3: str) -> Neighbour:
        """The neighbour with this code; raises CrimegraphError if it is none."""
        for n in self.neighbours:
            if n.iso3 == iso3:
                return n
        raise CrimegraphError(f"{iso3} is not a land neighbour of {self.iso3}")


def _name(g: Graph, iso3: str) -> str:
    label = g.value(country_iri(iso3), RDFS.label)
    return str(label) if label is not None else iso3


def _crossings(legs: nx.DiGraph, source: str, target: str) -> tuple[Crossing, ...]:
    """The flows of the leg source → target, one crossing per market."""
    if not legs.has_edge(source, target):
        return ()
    by_market: dict[str, list[Statement]] = {}
    for s in legs.edges[source, target]["statements"]:
        by_market.setdefault(s.market, []).append(s)
    return tuple(
        Crossing(market, source, target, tuple(found))
        for market, found in sorted(by_market.items())
    )


def scores(g: Graph, iso3: str) -> dict[tuple[str, int], float]:
    """The Index scores of a country in the graph, by (indicator slug, edition)."""
    out: dict[tuple[str, int], float] = {}
    for obs in g.subjects(CG.country, country_iri(iso3)):
        indicator, edition, value = (g.value(obs, p) for p in (CG.indicator, CG.edition, CG.value))
        if indicator is None or not isinstance(edition, Literal) or not isinstance(value, Literal):
            continue
        out[(str(indicator).removeprefix(str(CGV)), int(edition))] = float(value)
    return out


def _score_pairs(
    mine: dict[tuple[str, int], float], theirs: dict[tuple[str, int], float]
) -> tuple[ScorePair, ...]:
    from graph.vocab import indicators

    order = {ind.slug: n for n, ind in enumerate(indicators())}
    keys = sorted(set(mine) | set(theirs), key=lambda k: (k[1], order.get(k[0], len(order)), k[0]))
    return tuple(ScorePair(k[0], k[1], mine.get(k), theirs.get(k)) for k in keys)


def border_checkpoints(g: Graph, a: str, b: str) -> tuple[str, ...]:
    """The names of the checkpoints that sit on the border of countries ``a`` and ``b``."""
    first, second = country_iri(a), country_iri(b)
    found = {
        str(g.value(cp, RDFS.label) or cp)
        for cp in g.subjects(CG.onBorderOf, first)
        if (cp, CG.onBorderOf, second) in g
    }
    return tuple(sorted(found))


def neighbours(g: Graph, country: str, *, chains: int = 10) -> NeighbourReport:
    """What ties ``country`` (ISO3 code or name) to its land neighbours and distant partners.

    ``chains`` caps the implied-transit chains listed per distant partner.
    """
    iso3 = country_code(country)
    borders = land_borders(g)
    near = sorted(borders[iso3]) if iso3 in borders else []
    legs = leg_graph(g, FlowView(countries=frozenset({iso3})))
    own = scores(g, iso3)
    found = tuple(
        Neighbour(
            iso3=n,
            name=_name(g, n),
            outgoing=_crossings(legs, iso3, n),
            incoming=_crossings(legs, n, iso3),
            checkpoints=border_checkpoints(g, iso3, n),
            scores=_score_pairs(own, scores(g, n)),
        )
        for n in near
    )
    return NeighbourReport(
        iso3, _name(g, iso3), found, _distant(g, legs, borders, iso3, near, chains)
    )


def _partners(legs: nx.DiGraph, iso3: str) -> Iterable[str]:
    if iso3 not in legs:
        return []
    linked = set(legs.successors(iso3)) | set(legs.predecessors(iso3))
    return sorted(p for p in linked if legs.nodes[p]["kind"] == "country")


def _distant(
    g: Graph, legs: nx.DiGraph, borders: nx.Graph, iso3: str, near: list[str], chains: int
) -> tuple[DistantPartner, ...]:
    out = []
    where = country_points(g)
    for partner in _partners(legs, iso3):
        if partner in near or partner == iso3:
            continue
        outgoing, incoming = _crossings(legs, iso3, partner), _crossings(legs, partner, iso3)
        # Chains run the way the flows go: from the partner when flows only come in.
        source, target = (partner, iso3) if incoming and not outgoing else (iso3, partner)
        markets = sorted({c.market for c in (*outgoing, *incoming)})
        support: dict[str, int] = {}
        for market in markets:
            for code, hub in transit_tallies(g, market, include_generic=False).items():
                support[code] = support.get(code, 0) + hub.sources
        implied = suggest(borders, source, target, where, support, set(legs.edges), chains)
        if implied is None:  # the graph's borders say they touch after all
            continue
        out.append(DistantPartner(partner, _name(g, partner), outgoing, incoming, implied))
    return tuple(out)
