"""The semantics of legs, hubs, routes and neighbours, on plain records: one implementation.

:mod:`graph.routes`, :mod:`graph.neighbours`, :mod:`graph.hubs` and :mod:`graph.legs` answer
from an rdflib graph; the fast path of the command line answers from a build's Oxigraph store
(:mod:`graph.storefacts`) without importing rdflib or NetworkX. Both read the same facts into
the records of this module (:class:`FlowRecord`, borders, country centres, names, scores) through
a :class:`Facts` reader (:mod:`graph.rdffacts` or :mod:`graph.storefacts`), and everything that
gives those facts their meaning (sources per series, generic drug legs, precursors, implied
transit, k shortest routes) is computed here, once. This module imports neither rdflib nor
NetworkX.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, Protocol

from graph.errors import CrimegraphError
from graph.transit import ImpliedTransit, Point, suggest

#: What ``precursors`` may be.
PRECURSOR_CHOICES: tuple[str, ...] = ("include", "exclude", "only")
#: The market that stands for drugs in general ("drugs", "narcotics").
GENERIC_DRUGS = "drug-trade"
#: How many candidate chains of equal length are looked at to rank ties (by sources).
_TIE_WINDOW = 200


# --- records ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A place of a flow, keyed as the NetworkX projection keys it (ISO3, region slug,
    ``kind:slug``), with its kind and label; ``hub`` and ``hub_label`` key it for the hub
    measure (ISO3 or slug; ``rdfs:label``)."""

    key: str
    kind: str
    label: str
    hub: str = ""
    hub_label: str = ""


@dataclass(frozen=True)
class Evidence:
    """One passage of a document that states a flow."""

    #: The evidence node (its IRI).
    node: str
    text: str
    #: The document's file name ("" when unknown).
    document: str
    #: The document node ("" when unknown).
    doc_node: str
    hedge: str | None
    #: The passage IRI of its series ("" when none).
    passage: str
    #: The series IRI of the document ("" when none).
    series: str


@dataclass(frozen=True)
class FlowRecord:
    """A flow as the views read it."""

    flow: str
    market: str
    #: The commodity's label ("" when none).
    commodity: str
    precursor: bool
    #: Origins, each transit stage in order, destinations; empty stages left out.
    chain: tuple[tuple[Place, ...], ...]
    #: The places of the transit stages.
    transit: tuple[Place, ...]
    #: Labels of the checkpoints the flow names, sorted.
    checkpoints: tuple[str, ...]
    evidence: tuple[Evidence, ...]


class Facts(Protocol):
    """What the views read from a graph (rdflib) or a store (Oxigraph)."""

    def flows(
        self,
        markets: frozenset[str] = frozenset(),
        countries: frozenset[str] = frozenset(),
        *,
        transit: bool = False,
        through: frozenset[str] = frozenset(),
    ) -> list[FlowRecord]:
        """The flows of ``markets`` whose chain touches ``countries`` (empty: all), by IRI;
        with ``transit``, only those with a place in a transit stage, and with ``through``
        too, only those with one of these countries (codes) in a transit stage."""
        ...

    def complete(self, records: list[FlowRecord]) -> list[FlowRecord]:
        """The records with the text of every evidence (a reader may leave texts out of
        :meth:`flows` until a statement is shown)."""
        ...

    def borders(self) -> dict[str, set[str]]:
        """Countries and their land neighbours, both ways."""
        ...

    def points(self) -> dict[str, Point]:
        """(lat, lon) of each country that has them."""
        ...

    def is_drug_market(self, slug: str) -> bool:
        """Whether ``slug`` is a drug market (narrower than ``drug-trade``)."""
        ...

    def name(self, iso3: str) -> str:
        """The label of a country (its code when none)."""
        ...

    def scores(self, iso3: str) -> dict[tuple[str, int], float]:
        """The Index scores of a country by (indicator slug, edition)."""
        ...

    def border_checkpoints(self, a: str, b: str) -> tuple[str, ...]:
        """The names of the checkpoints on the border of ``a`` and ``b``, sorted."""
        ...

    def indicator_order(self) -> list[str]:
        """Indicator slugs in the Index's order."""
        ...


# --- statements and legs ------------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """A passage of a document that states a flow, and so each leg of it."""

    flow: str
    market: str
    commodity: str
    evidence: str
    document: str
    hedge: str | None = None
    checkpoints: tuple[str, ...] = ()
    #: The passage of its source series this evidence repeats (the evidence IRI if none).
    passage: str = ""
    #: The source series of the document.
    series: str = ""
    #: True when the flow is stated only as drugs in general, not as the market asked for.
    generic: bool = False
    #: True for a flow of precursor chemicals.
    precursor: bool = False

    @property
    def source(self) -> str:
        """What counts as one source: the passage (once per series), else the evidence."""
        return self.passage or f"{self.document}\x00{self.evidence}"


def sources(statements: Any) -> int:
    """The number of distinct sources (passages counted once per series) among statements."""
    return len({s.source for s in statements})


def _order(s: Statement) -> tuple[str, str, str, str]:
    return (s.market, s.document, s.evidence, s.flow)


def statements_of(record: FlowRecord, asked: frozenset[str]) -> list[Statement]:
    """One statement per passage of the flow."""
    generic = bool(asked) and record.market == GENERIC_DRUGS and GENERIC_DRUGS not in asked
    out = [
        Statement(
            flow=record.flow,
            market=record.market,
            commodity=record.commodity,
            evidence=ev.text,
            document=ev.document,
            hedge=ev.hedge,
            checkpoints=record.checkpoints,
            passage=ev.passage or ev.node,
            series=ev.series.rsplit("/", 1)[-1] if ev.series else "",
            generic=generic,
            precursor=record.precursor,
        )
        for ev in record.evidence
    ]
    return sorted(out, key=_order)


def markets_with_generic(
    markets: frozenset[str], include_generic: bool, is_drug: Callable[[str], bool]
) -> frozenset[str]:
    """The markets to read: with ``drug-trade`` added for a drug market when asked."""
    if include_generic and any(is_drug(m) for m in markets):
        return markets | {GENERIC_DRUGS}
    return markets


def _kept(statements: list[Statement], precursors: str) -> list[Statement]:
    if precursors == "exclude":
        return [s for s in statements if not s.precursor]
    if precursors == "only":
        return [s for s in statements if s.precursor]
    return statements


@dataclass
class Legs:
    """Places and the stated legs between them: one (from, to) with every passage behind it."""

    kinds: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    statements: dict[tuple[str, str], list[Statement]] = field(default_factory=dict)
    succ: dict[str, set[str]] = field(default_factory=dict)
    pred: dict[str, set[str]] = field(default_factory=dict)
    #: The flows that state each leg, in order, and the choices the statements were read with.
    flows: dict[tuple[str, str], list[FlowRecord]] = field(default_factory=dict)
    asked: frozenset[str] = frozenset()
    precursors: str = "include"

    def shown(self, facts: Facts, u: str, v: str) -> list[Statement]:
        """The statements of the leg u → v with their texts, in order."""
        out: list[Statement] = []
        for record in facts.complete(self.flows[(u, v)]):
            out.extend(_kept(statements_of(record, self.asked), self.precursors))
        return sorted(out, key=_order)

    def __contains__(self, node: object) -> bool:
        return node in self.kinds

    def remove(self, nodes: Iterable[str]) -> None:
        for n in list(nodes):
            for v in self.succ.pop(n, set()):
                self.pred[v].discard(n)
                self.statements.pop((n, v), None)
            for u in self.pred.pop(n, set()):
                self.succ[u].discard(n)
                self.statements.pop((u, n), None)
            self.kinds.pop(n, None)
            self.labels.pop(n, None)
        self.flows = {e: f for e, f in self.flows.items() if e in self.statements}


def build_legs(
    records: Iterable[FlowRecord], asked: frozenset[str], precursors: str = "include"
) -> Legs:
    """The legs of the flows: one per (from, to), each flow stating a leg once."""
    if precursors not in PRECURSOR_CHOICES:
        raise CrimegraphError(
            f"unknown precursors choice {precursors!r} (known: {', '.join(PRECURSOR_CHOICES)})"
        )
    legs = Legs(asked=asked, precursors=precursors)
    found: list[tuple[str, str, str, int, FlowRecord]] = []
    first: dict[str, Place] = {}
    for record in records:
        n = 0
        for before, after in pairwise(record.chain):
            for a in before:
                for b in after:
                    if a.key == b.key:
                        continue
                    first.setdefault(a.key, a)
                    first.setdefault(b.key, b)
                    found.append((a.key, b.key, f"{record.flow}#{n}", n, record))
                    n += 1
    flows_of: dict[tuple[str, str], set[str]] = {}
    cache: dict[str, list[Statement]] = {}
    for u, v, _, _, record in sorted(found, key=lambda e: (e[0], e[1], e[2])):
        if record.flow not in cache:
            cache[record.flow] = _kept(statements_of(record, asked), precursors)
        if not cache[record.flow]:
            continue
        for node in (u, v):
            if node not in legs.kinds:
                legs.kinds[node], legs.labels[node] = first[node].kind, first[node].label
                legs.succ[node], legs.pred[node] = set(), set()
        seen = flows_of.setdefault((u, v), set())
        if record.flow in seen:
            continue
        seen.add(record.flow)
        legs.statements.setdefault((u, v), []).extend(cache[record.flow])
        legs.flows.setdefault((u, v), []).append(record)
        legs.succ[u].add(v)
        legs.pred[v].add(u)
    for found_statements in legs.statements.values():
        found_statements.sort(key=_order)
    return legs


# --- hubs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hub:
    """A place's hub value in one market, and the sources behind it."""

    market: str
    place: str
    label: str
    #: "country" or "region".
    kind: str
    #: The hub value: distinct sources (passages, once per series) naming the place as transit.
    sources: int
    #: Of those, the sources that state drugs in general, not the market itself.
    generic_sources: int
    #: Distinct source series, documents and flows behind the value.
    series: int
    documents: int
    flows: int


@dataclass
class _Tally:
    sources: set[str] = field(default_factory=set)
    generic: set[str] = field(default_factory=set)
    series: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)
    flows: set[str] = field(default_factory=set)


def tallies(
    facts: Facts,
    slug: str,
    include_generic: bool | None = None,
    through: frozenset[str] = frozenset(),
) -> dict[str, Hub]:
    """Every place named as a transit stage of ``slug``'s flows, with its hub value
    (see :mod:`graph.hubs`); with ``through``, the values of those countries only are sure
    (the flows read are those through them)."""
    generic = bool(include_generic) and facts.is_drug_market(slug)
    read = markets_with_generic(frozenset({slug}), generic, facts.is_drug_market)
    counted: dict[str, _Tally] = defaultdict(_Tally)
    places: dict[str, tuple[str, str]] = {}
    for record in facts.flows(markets=read, transit=True, through=through):
        if record.precursor or not record.transit:
            continue
        evidence = [
            (ev.passage or ev.node, ev.series or ev.doc_node or "None", ev.doc_node or "None")
            for ev in record.evidence
        ]
        for place in record.transit:
            code = place.hub
            places[code] = (place.hub_label, "country" if place.kind == "country" else "region")
            tally = counted[code]
            tally.flows.add(record.flow)
            for source_key, series_key, doc_key in evidence:
                tally.sources.add(source_key)
                tally.series.add(series_key)
                tally.documents.add(doc_key)
                if record.market == GENERIC_DRUGS and slug != GENERIC_DRUGS:
                    tally.generic.add(source_key)
    return {
        code: Hub(
            slug,
            code,
            places[code][0],
            places[code][1],
            len(t.sources),
            len(t.generic),
            len(t.series),
            len(t.documents),
            len(t.flows),
        )
        for code, t in counted.items()
    }


# --- routes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RouteLeg:
    """One step of a route and the passages that state it."""

    source: str
    target: str
    statements: tuple[Statement, ...]
    #: Whether the two places share a land border; None when one of them is a region.
    borders: bool | None
    #: For two countries without a common border: how the leg may run (inferred, never stated).
    implied: ImpliedTransit | None = None

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(sorted({s.document for s in self.statements}))

    @property
    def sources(self) -> int:
        """Distinct sources behind the leg: passages, counted once per source series."""
        return sources(self.statements)

    @property
    def generic(self) -> bool:
        """True when every statement of the leg names drugs in general, not the market."""
        return all(s.generic for s in self.statements)


@dataclass(frozen=True)
class Route:
    """A chain of legs of one market from a place to another."""

    market: str
    places: tuple[str, ...]
    legs: tuple[RouteLeg, ...]

    @property
    def hops(self) -> int:
        return len(self.legs)

    @property
    def documents(self) -> tuple[str, ...]:
        """Every document that states one of the legs."""
        return tuple(sorted({d for leg in self.legs for d in leg.documents}))

    @property
    def sources(self) -> int:
        """Distinct sources behind the legs (passages, once per series)."""
        return sources([s for leg in self.legs for s in leg.statements])


def _passes(path: Sequence[str], via: Sequence[str]) -> bool:
    """True when the path passes every ``via`` place, in that order, between its two ends."""
    inner = iter(path[1:-1])
    return all(any(place == stop for place in inner) for stop in via)


def _distances_to(legs: Legs, target: str) -> dict[str, int]:
    distance = {target: 0}
    queue = [target]
    for node in queue:
        for n in sorted(legs.pred.get(node, ())):
            if n not in distance:
                distance[n] = distance[node] + 1
                queue.append(n)
    return distance


def _paths(
    legs: Legs, distance: dict[str, int], source: str, target: str, hops: int
) -> Iterator[list[str]]:
    """Simple paths of exactly ``hops`` legs, in name order (``distance``: hops to target)."""

    def walk(path: list[str], left: int) -> Iterator[list[str]]:
        node = path[-1]
        if node == target:
            if left == 0:
                yield list(path)
            return
        for n in sorted(legs.succ.get(node, ())):
            if n in path or distance.get(n, hops + 1) > left - 1:
                continue
            path.append(n)
            yield from walk(path, left - 1)
            path.pop()

    yield from walk([source], hops)


def candidates(
    legs: Legs, source: str, target: str, via: Sequence[str], max_hops: int, k: int
) -> list[list[str]]:
    """Up to k simple paths within ``max_hops``, shortest first; ties by sources, then name."""
    found: list[list[str]] = []
    distance = _distances_to(legs, target)
    if source not in distance:
        return found
    examined = 0
    for hops in range(1, max_hops + 1):
        if len(found) >= k:
            break
        for path in _paths(legs, distance, source, target, hops):
            examined += 1
            if len(found) >= k and examined > _TIE_WINDOW * k:
                break
            if _passes(path, via):
                found.append(path)

    def weight(path: list[str]) -> int:
        return sources([s for u, v in pairwise(path) for s in legs.statements[(u, v)]])

    found.sort(key=lambda p: (len(p), -weight(p), p))
    return found[:k]


def _support(
    facts: Facts, markets: Iterable[str], include_generic: bool, through: frozenset[str]
) -> dict[str, int]:
    """Hub values summed over markets, of the countries ``through`` (all the intermediates
    implied transit may suggest: the land neighbours of a leg's two ends)."""
    support: dict[str, int] = {}
    for m in sorted(markets):
        found = tallies(facts, m, include_generic=include_generic, through=through)
        for code, hub in found.items():
            support[code] = support.get(code, 0) + hub.sources
    return support


def find_routes(
    facts: Facts,
    slug: str,
    start: str,
    end: str,
    *,
    via: Sequence[str] = (),
    max_hops: int = 6,
    k: int = 5,
    chains: int = 10,
    countries_only: bool = False,
    include_generic: bool | None = None,
    precursors: bool = False,
) -> list[Route]:
    """The k shortest routes of the market ``slug`` between two place codes (see
    :func:`graph.routes.find_routes`)."""
    if max_hops < 1 or k < 1 or chains < 0:
        raise CrimegraphError("max-hops and k must be at least 1, chains at least 0")
    drug = facts.is_drug_market(slug)
    generic = drug if include_generic is None else include_generic
    if generic and not drug:
        raise CrimegraphError(f"--include-generic is for the drug markets, not {slug}")
    if precursors and not (drug or slug == GENERIC_DRUGS):
        raise CrimegraphError(f"--precursors is for the drug markets, not {slug}")
    if start == end:
        raise CrimegraphError(f"a route needs two different places (both are {start})")
    asked = frozenset({slug})
    read = markets_with_generic(asked, generic, facts.is_drug_market)
    legs = build_legs(
        facts.flows(markets=read), asked, precursors="only" if precursors else "exclude"
    )
    if countries_only:
        ends = {start, end}
        legs.remove([n for n, kind in legs.kinds.items() if kind != "country" and n not in ends])
    if any(p not in legs for p in (start, end, *via)):
        return []
    paths = candidates(legs, start, end, list(via), max_hops, k)
    if not paths:
        return []
    facts.complete([r for path in paths for e in pairwise(path) for r in legs.flows[e]])
    borders = facts.borders()
    where = facts.points()
    ends = {p for path in paths for p in path if legs.kinds[p] == "country"}
    near = frozenset(n for p in ends for n in borders.get(p, ()))
    support = _support(facts, [slug], generic, near)
    stated = set(legs.statements)
    routes = []
    for path in paths:
        steps = []
        for u, v in pairwise(path):
            statements = tuple(legs.shown(facts, u, v))
            if legs.kinds[u] != "country" or legs.kinds[v] != "country":
                steps.append(RouteLeg(u, v, statements, None))
                continue
            implied = suggest(borders, u, v, where, support, stated, chains)
            steps.append(RouteLeg(u, v, statements, implied is None, implied))
        routes.append(Route(slug, tuple(path), tuple(steps)))
    return routes


# --- neighbours -------------------------------------------------------------------------------


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


def crossings(facts: Facts, legs: Legs, source: str, target: str) -> tuple[Crossing, ...]:
    """The flows of the leg source → target, one crossing per market."""
    if (source, target) not in legs.statements:
        return ()
    by_market: dict[str, list[Statement]] = {}
    for s in legs.shown(facts, source, target):
        by_market.setdefault(s.market, []).append(s)
    return tuple(
        Crossing(market, source, target, tuple(found))
        for market, found in sorted(by_market.items())
    )


def score_pairs(
    order: list[str], mine: dict[tuple[str, int], float], theirs: dict[tuple[str, int], float]
) -> tuple[ScorePair, ...]:
    """Scores of two countries side by side, by edition then the Index's order."""
    rank = {slug: n for n, slug in enumerate(order)}
    keys = sorted(set(mine) | set(theirs), key=lambda k: (k[1], rank.get(k[0], len(rank)), k[0]))
    return tuple(ScorePair(k[0], k[1], mine.get(k), theirs.get(k)) for k in keys)


def _around(borders: dict[str, set[str]], iso3: str, partners: Iterable[str]) -> frozenset[str]:
    """The land neighbours of the country and of its partners: every possible intermediate."""
    return frozenset(n for p in (iso3, *partners) for n in borders.get(p, ()))


def neighbours(facts: Facts, iso3: str, *, chains: int = 10) -> NeighbourReport:
    """What ties the country ``iso3`` to its land neighbours and distant partners (see
    :func:`graph.neighbours.neighbours`)."""
    borders = facts.borders()
    near = sorted(borders.get(iso3, ()))
    legs = build_legs(facts.flows(countries=frozenset({iso3})), frozenset())
    order = facts.indicator_order()
    own = facts.scores(iso3)
    found = tuple(
        Neighbour(
            iso3=n,
            name=facts.name(n),
            outgoing=crossings(facts, legs, iso3, n),
            incoming=crossings(facts, legs, n, iso3),
            checkpoints=facts.border_checkpoints(iso3, n),
            scores=score_pairs(order, own, facts.scores(n)),
        )
        for n in near
    )
    distant = []
    if iso3 in legs:
        linked = legs.succ[iso3] | legs.pred[iso3]
        partners = sorted(p for p in linked if legs.kinds[p] == "country")
    else:
        partners = []
    where: dict[str, Point] | None = None
    stated = set(legs.statements)
    # Read once what the loop reads piecemeal: the texts of the country's legs, and the transit
    # flows of every market that joins it to a partner (a store answers one batch faster).
    facts.complete([r for (u, v), found in legs.flows.items() if iso3 in (u, v) for r in found])
    joined = {
        s.market
        for p in partners
        for e in ((iso3, p), (p, iso3))
        for s in legs.statements.get(e, ())
    }
    if joined:
        facts.flows(
            markets=frozenset(joined), transit=True, through=_around(borders, iso3, partners)
        )
    for partner in partners:
        if partner in near or partner == iso3:
            continue
        outgoing, incoming = (
            crossings(facts, legs, iso3, partner),
            crossings(facts, legs, partner, iso3),
        )
        # Chains run the way the flows go: from the partner when flows only come in.
        source, target = (partner, iso3) if incoming and not outgoing else (iso3, partner)
        markets = sorted({c.market for c in (*outgoing, *incoming)})
        if where is None:
            where = facts.points()
        support = _support(facts, markets, False, _around(borders, iso3, [partner]))
        implied = suggest(borders, source, target, where, support, stated, chains)
        if implied is None:  # the graph's borders say they touch after all
            continue
        distant.append(DistantPartner(partner, facts.name(partner), outgoing, incoming, implied))
    return NeighbourReport(iso3, facts.name(iso3), found, tuple(distant))
