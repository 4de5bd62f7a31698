"""Read one clause into flows: its places, commodities and role phrases, then groups, holders
and bundles (``groups``, ``holders``), then flows (``assemble``).

The reading, in order:

1. *Places*: lists of places get their roles from the cue before them or the words after them
   (``placelists``): "from Iran" is an origin, "Afghan heroin" qualifies the heroin.
2. *Groups*: commodity words joined by list filler ("cocaine, heroin, and Afghan hashish")
   form a group; each list with a role goes to the group before it (``groups``).
3. *Frames*: a role phrase ("transit point for", "source, transit and destination country")
   governs the groups after it up to the next one (or the group before it when none follows);
   its holder is the free list before it, the list it names ("source countries A and B"), or,
   when the phrase opens the clause, the document's subject (``holders``).
4. *Flows*: one per market and frame, and one per role of the frame's holder, with origins,
   ordered transit stages and destinations; where a report leaves its subject implicit the
   flow is completed with it ("... bound for Europe" → from the subject; "victims from A" → to
   the subject) (``assemble``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.extract.assemble import (
    PEOPLE_MARKETS,
    bundle_flows,
    collapse_transit,
    complete_with_subject,
)
from graph.extract.groups import (
    attach_places,
    build_groups,
    bundles_of,
    distribute_routes,
    frame_groups,
)
from graph.extract.holders import find_holders
from graph.extract.lexicon import CommodityTerm, Lexicon
from graph.extract.mentions import (
    Commodity,
    actors,
    checkpoints,
    find_commodities,
    find_role_phrases,
    hedging,
    modes,
    only_adjectives,
    route,
    subnational_places,
)
from graph.extract.placelists import PlaceList, assign_roles, build_lists
from graph.extract.segment import Clause
from graph.places import Gazetteer, PlaceMention
from graph.records import Flow

#: What people named by nationality alone are ("Albanians are exploited in ...").
PEOPLE = CommodityTerm("people", None, "person")
#: The end of a negation's reach inside a clause.
_NEGATION_END = re.compile(r"\b(?:but|however|although|though|whereas|yet|while)\b", re.I)


@dataclass
class Context:
    """What one document's clauses share: its text, subject, vocabulary and places."""

    text: str
    subject: str | None
    #: "report" (the subject is implicit in its clauses) or "profile".
    kind: str
    lex: Lexicon
    gazetteer: Gazetteer
    mentions: list[PlaceMention]
    #: Sentence spans by sentence index, for context words and hedges.
    sentences: dict[int, tuple[int, int]]
    #: The market of people last read in each paragraph ("people" after "smuggling networks").
    people_market: dict[int, str] = field(default_factory=dict)
    #: Start offsets of ``mentions`` (sorted), to find a clause's places by bisection.
    starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.starts = [m.start for m in self.mentions]


# --------------------------------------------------------------------------- clause


def clause_flows(ctx: Context, clause: Clause) -> list[Flow]:
    """All flows one clause states."""
    text, lex = ctx.text, ctx.lex
    a, b = clause.start, clause.end
    hedge = hedging(text, a, b, lex)
    dead = _negated_span(text, hedge.negated_from, b)

    def alive(start: int) -> bool:
        return not (dead[0] <= start < dead[1])

    named_routes = [(r.start(), r.end()) for r in lex.routes.finditer(text, a, b)]
    lo = bisect.bisect_left(ctx.starts, a)
    hi = bisect.bisect_left(ctx.starts, b)
    mentions = [
        m
        for m in ctx.mentions[lo:hi]
        if a <= m.start
        and m.end <= b
        and alive(m.start)
        and not any(r0 <= m.start < r1 for r0, r1 in named_routes)  # "the Balkan route"
    ]
    named = [(m.start, m.end) for m in mentions if m.via != "subject"]
    commodities = [
        c
        for c in find_commodities(text, a, b, lex, named)
        if alive(c.start) and not _licit(text, c, hedge.licit_ends, lex)
    ]
    mentions = [
        m
        for m in mentions
        if m.via != "subject" or not any(c.start < m.end and m.start < c.end for c in commodities)
    ]
    lists = assign_roles(
        text, a, b, build_lists(text, mentions, commodities, lex), commodities, lex
    )
    phrases = [p for p in find_role_phrases(text, a, b, lex, commodities) if alive(p.start)]
    if not commodities:
        commodities = _people_as_commodity(text, lists)
    signals, waypoint = _signals(ctx, clause)
    _resolve_people(ctx, clause, commodities, "tourism" in signals)
    commodities = [
        c
        for c in commodities
        if c.market is not None and (not clause.field_only or c.market in clause.field_only)
    ]
    if not commodities:
        return []
    holders = find_holders(text, (a, b), ctx.subject, lists, phrases, dead, lex)
    phrases = [p for p in phrases if id(p) not in holders or holders[id(p)]]
    groups = build_groups(text, commodities, lists, lex)
    attach_places(groups, lists)
    frame_groups(groups, phrases)
    distribute_routes(groups)
    flows: list[Flow] = []
    for bundle in bundles_of(groups, commodities):
        holder = holders.get(id(bundle.frame)) if bundle.frame is not None else None
        flows.extend(bundle_flows(bundle, holder, waypoint))
    denied = hedge.negated_from is not None and hedge.negated_from < commodities[0].start
    for flow in flows:
        if not denied:
            complete_with_subject(flow, ctx.subject, ctx.kind, signals)
        collapse_transit(flow, ctx.gazetteer)
    flows = [f for f in flows if f.origin or f.transit or f.destination]
    _details(ctx, clause, flows, mentions, hedge.hedge)
    return flows


def _negated_span(text: str, start: int | None, end: int) -> tuple[int, int]:
    """Where a negation reaches: from its cue to "but"/"however" or the clause's end."""
    if start is None:
        return (end, end)
    stop = _NEGATION_END.search(text, start, end)
    return (start, stop.start() if stop else end)


def _licit(text: str, c: Commodity, licit_ends: Iterable[int], lex: Lexicon) -> bool:
    """True when a "licit"/"legal" cue stands right before the commodity word."""
    return any(
        e <= c.start and c.start - e < 30 and only_adjectives(text, e, c.start, lex)
        for e in licit_ends
    )


def _people_as_commodity(text: str, lists: list[PlaceList]) -> list[Commodity]:
    """People named only by their nationality move themselves: "Albanians and Bulgarians
    are exploited in ..." reads as "Albanian and Bulgarian people"."""
    for pl in lists:
        if pl.people and pl.modifies is None:
            people = Commodity(pl.start, pl.end, text[pl.start : pl.end], PEOPLE, None)
            pl.modifies = people
            return [people]
    return []


def _resolve_people(
    ctx: Context, clause: Clause, commodities: list[Commodity], tourism: bool
) -> None:
    """Give "person" words (men, migrants, people) the market their context speaks of:
    exploitation words make it human trafficking, smuggling words human smuggling."""
    if not any(c.term.kind in ("person", "activity") for c in commodities):
        return
    s_start, s_end = ctx.sentences.get(clause.sentence, (clause.start, clause.end))
    found = {ctx.lex.context.value(m) for m in ctx.lex.context.finditer(ctx.text, s_start, s_end)}
    in_clause = {
        ctx.lex.context.value(m)
        for m in ctx.lex.context.finditer(ctx.text, clause.start, clause.end)
    }
    for c in commodities:
        if c.term.kind == "activity":
            c.market = clause.field_market  # "trafficking" in a trafficking-in-persons field
            continue
        if c.term.kind != "person":
            continue
        if tourism:
            c.market = None  # "child sex tourism involving US citizens": the people are clients
        elif "human-trafficking" in in_clause:
            c.market = "human-trafficking"
        elif clause.field_market is not None:
            c.market = clause.field_market
        elif c.term.market is not None:
            c.market = c.term.market
        elif "human-smuggling" in in_clause or found == {"human-smuggling"}:
            c.market = "human-smuggling"
        elif "human-trafficking" in found:
            c.market = "human-trafficking"
        else:
            c.market = ctx.people_market.get(clause.paragraph)
    for c in commodities:
        if c.market in PEOPLE_MARKETS:
            ctx.people_market[clause.paragraph] = c.market


def _signals(ctx: Context, clause: Clause) -> tuple[set[str], int | None]:
    """The clause-level signals (``signals.csv``), and where the last "from where" (which
    turns the places before it into waypoints) stands."""
    found: set[str] = set()
    waypoint: int | None = None
    for m in ctx.lex.signals.finditer(ctx.text, clause.start, clause.end):
        signal = ctx.lex.signals.value(m)
        found.add(signal)
        if signal == "waypoint":
            waypoint = m.start()
    return found, waypoint


# --------------------------------------------------------------------------- details


def _details(
    ctx: Context, clause: Clause, flows: list[Flow], mentions: list[PlaceMention], hedge: str | None
) -> None:
    """Evidence, span, hedge, modes, route, actors, sub-national places and checkpoints."""
    if not flows:
        return
    text, lex, a, b = ctx.text, ctx.lex, clause.start, clause.end
    s_start, s_end = ctx.sentences.get(clause.sentence, (a, b))
    demonyms = [(m.start, m.end) for m in mentions if m.via == "demonym"]
    found_modes = modes(text, a, b, lex)
    found_route = route(text, s_start, s_end, lex)
    found_actors = actors(text, a, b, lex, demonyms)
    places = subnational_places(text, a, b, lex)
    crossings = checkpoints(text, s_start, s_end, lex)
    for f in flows:
        f.evidence, f.span = text[a:b], (a, b)
        f.hedge = hedge
        f.mode = list(found_modes)
        f.route = found_route
        f.actors = list(found_actors)
        f.places = list(places)
        f.checkpoints = list(crossings)
