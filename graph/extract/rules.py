"""Turn one clause into flows: commodity groups, the places each group takes, the holder of a
role phrase, and the implicit subject of report clauses.

The reading, in order:

1. *Groups*: commodity words joined by list filler ("cocaine, heroin, and Afghan hashish")
   form a group; groups of one market in one clause are read together.
2. *Places*: each list of places (``placelists``) belongs to the group before it (or the first
   group after it); a list that qualifies a commodity ("Afghan heroin") is that commodity's
   origin only.
3. *Frames*: a role phrase ("transit point for", "source, transit and destination country")
   governs the groups after it up to the next one (or the group before it when none follows);
   its holder is the free list before it, the list it names ("source countries A and B"), or,
   when the phrase opens the clause, the document's subject.
4. *Flows*: one per market and holder role, with origins, ordered transit stages and
   destinations; a report clause completes a flow with its subject where the text leaves it
   implicit ("... bound for Europe" → from the subject; "victims from A" → to the subject).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.extract.lexicon import Lexicon
from graph.extract.mentions import (
    Commodity,
    RolePhrase,
    actors,
    checkpoints,
    find_commodities,
    find_role_phrases,
    hedging,
    is_clause_opening,
    is_glue,
    modes,
    only_adjectives,
    route,
    subnational_places,
)
from graph.extract.placelists import PlaceList, assign_roles, build_lists
from graph.extract.segment import Clause
from graph.places import Gazetteer, PlaceMention
from graph.records import Flow, Stage

#: Markets whose goods are taken from where they are found (a bare "in X" is their origin).
EXTRACTION_MARKETS = frozenset({"flora-crimes", "fauna-crimes", "non-renewable-resource-crimes"})
PEOPLE_MARKETS = frozenset({"human-trafficking", "human-smuggling"})
DRUG_MARKETS = frozenset(
    {"heroin-trade", "cocaine-trade", "cannabis-trade", "synthetic-drug-trade", "drug-trade"}
)
#: Words that may join commodity words into one group besides list filler.
_GROUP_WORDS = frozenset(
    "including such as namely like of its their especially particularly mainly mostly "
    "primarily and or other".split()
)
#: The end of a negation's reach inside a clause.
_NEGATION_END = re.compile(r"\b(?:but|however|although|though|whereas|yet|while)\b", re.I)


@dataclass
class Context:
    """What one document's clauses share: its text, subject, vocabulary and places."""

    text: str
    subject: str | None
    lex: Lexicon
    gazetteer: Gazetteer
    mentions: list[PlaceMention]
    #: Sentence spans by sentence index, for context words and hedges.
    sentences: dict[int, tuple[int, int]]
    #: The market of people last read in each paragraph ("people" after "smuggling networks").
    people_market: dict[int, str] = field(default_factory=dict)


@dataclass
class _Group:
    """Commodity words read together, and the places attached to them."""

    commodities: list[Commodity]
    lists: list[PlaceList] = field(default_factory=list)
    frame: RolePhrase | None = None

    @property
    def start(self) -> int:
        return self.commodities[0].start


@dataclass
class _Bundle:
    """One market of one frame: what a flow (or one per holder role) is built from."""

    market: str
    frame: RolePhrase | None
    labels: list[str] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)
    lists: list[PlaceList] = field(default_factory=list)


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
    mentions = [
        m
        for m in ctx.mentions
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
    lists = assign_roles(text, a, b, build_lists(text, mentions, commodities, lex), commodities, lex)
    phrases = [p for p in find_role_phrases(text, a, b, lex, commodities) if alive(p.start)]
    _resolve_people(ctx, clause, commodities)
    commodities = [c for c in commodities if c.market is not None]
    if not commodities:
        return []
    holders = _holders(ctx, clause, lists, phrases)
    groups = _groups(text, commodities, lists, lex)
    _attach(groups, lists)
    _frame(groups, phrases)
    signals = _signals(ctx, clause)
    waypoint = _waypoint(ctx, clause)
    flows: list[Flow] = []
    for bundle in _bundles(groups, commodities):
        holder = holders.get(id(bundle.frame)) if bundle.frame is not None else None
        flows.extend(_flows(bundle, holder, waypoint))
    for flow in flows:
        if hedge.negated_from is None:
            _complete(flow, ctx, signals)
        _collapse_transit(flow, ctx.gazetteer)
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
    return any(e <= c.start and c.start - e < 30 and only_adjectives(text, e, c.start, lex) for e in licit_ends)


def _resolve_people(ctx: Context, clause: Clause, commodities: list[Commodity]) -> None:
    """Give "person" words (men, migrants, people) the market their context speaks of:
    exploitation words make it human trafficking, smuggling words human smuggling."""
    s_start, s_end = ctx.sentences.get(clause.sentence, (clause.start, clause.end))
    found = {ctx.lex.context.value(m) for m in ctx.lex.context.finditer(ctx.text, s_start, s_end)}
    in_clause = {
        ctx.lex.context.value(m) for m in ctx.lex.context.finditer(ctx.text, clause.start, clause.end)
    }
    tourism = "tourism" in _signals(ctx, clause)
    for c in commodities:
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


# --------------------------------------------------------------------------- holders


def _holders(
    ctx: Context, clause: Clause, lists: list[PlaceList], phrases: list[RolePhrase]
) -> dict[int, list[str]]:
    """The place codes that hold each role phrase (keyed by ``id(phrase)``): a list of the
    clause, the holder of the phrase it is coordinated with ("transshipment point for A and
    minor transit point for B"), or the subject when the phrase opens the clause."""
    text, lex = ctx.text, ctx.lex
    out: dict[int, list[str]] = {}
    spans = [(pl.start, pl.end) for pl in lists]
    previous: RolePhrase | None = None
    for phrase in phrases:
        holder = _holder_list(text, phrase, lists, lex)
        opening_end = phrase.compound.start if phrase.compound else phrase.start
        if holder is not None:
            holder.role = "holder"
            out[id(phrase)] = holder.codes
        elif previous is not None and id(previous) in out and _coordinated_phrase(text, opening_end):
            out[id(phrase)] = out[id(previous)]
        elif (
            ctx.subject is not None
            and not phrase.plural
            and is_clause_opening(text, clause.start, opening_end, lex, spans)
        ):
            out[id(phrase)] = [ctx.subject]
        previous = phrase
    return out


_COORDINATED = re.compile(r"(?:,|\band|\bas well as|\bor)\s+(?:(?:a|an|as|also|the)\s+)*(?:\w+\s+){0,2}$", re.I)


def _coordinated_phrase(text: str, start: int) -> bool:
    """True when "and" (or a comma) joins a role phrase to what comes before it."""
    return bool(_COORDINATED.search(text, max(0, start - 40), start))


def _holder_list(text: str, phrase: RolePhrase, lists: list[PlaceList], lex: Lexicon) -> PlaceList | None:
    """The list a role phrase is about: named after a plural head ("source countries A and
    B"), or the nearest free list before the phrase that does not merely qualify it ("major
    European transshipment point" is not about Europe)."""
    if phrase.plural:
        for pl in lists:
            if pl.start >= phrase.end and is_glue(text[phrase.end : pl.start], lex, frozenset({"such", "as", "like"})):
                return pl
    for pl in reversed([pl for pl in lists if pl.end <= phrase.start]):
        opening = phrase.compound.start if phrase.compound else phrase.start
        adjacent = not re.search(r"\b(?:and|or)\b|[,;]", text[pl.end : opening]) and only_adjectives(
            text, pl.end, opening, lex
        )
        if adjacent and not phrase.plural:
            if pl.role == "free":
                pl.role = "none"  # where the holder lies, not the holder
            continue
        if pl.role in ("free", "holder") or (adjacent and phrase.plural):
            return pl
    return None


# --------------------------------------------------------------------------- groups


def _groups(text: str, commodities: list[Commodity], lists: list[PlaceList], lex: Lexicon) -> list[_Group]:
    """Commodity words joined by filler, adjectives or the places that qualify them."""
    groups: list[_Group] = []
    modifiers = [pl for pl in lists if pl.modifies is not None]
    for c in commodities:
        if groups:
            prev = groups[-1].commodities[-1]
            inner = [pl for pl in lists if prev.end <= pl.start and pl.end <= c.start]
            if all(pl in modifiers for pl in inner) and _joins(text, prev.end, c.start, inner, lex):
                groups[-1].commodities.append(c)
                continue
        groups.append(_Group([c]))
    for pl in modifiers:
        if pl.modifies is not None:
            pl.modifies.origins.extend(code for code in pl.codes if code not in pl.modifies.origins)
    for g in groups:
        inherited: list[str] = []
        for c in g.commodities:
            if c.origins:
                inherited = c.origins
            else:
                c.origins = list(inherited)
    return groups


def _joins(text: str, start: int, end: int, inner: list[PlaceList], lex: Lexicon) -> bool:
    """True when only filler, adjectives and qualifying places stand between two commodities."""
    pieces, pos = [], start
    for pl in inner:
        pieces.append(text[pos : pl.start])
        pos = pl.end
    pieces.append(text[pos:end])
    return all(is_glue(p, lex, _GROUP_WORDS | lex.adjectives) for p in pieces)


def _attach(groups: list[_Group], lists: list[PlaceList]) -> None:
    """Give each list with a role in the flow to the group before it. Before any commodity
    word, only places that the words after them place in the flow go to the first group;
    places a cue governs there describe something else ("actors hailing from Central Asia
    ... trade in drugs")."""
    movers = False  # people named before any commodity word ("Nicaraguans transit ...")
    for pl in lists:
        movers = movers or pl.people
        if pl.role in ("free", "none", "holder") or pl.modifies is not None:
            continue
        before = [g for g in groups if g.start <= pl.start]
        if before:
            before[-1].lists.append(pl)
        elif groups and (movers or not pl.by_cue):
            groups[0].lists.append(pl)  # "domestic consumption of ...", "Cubans being ..."


def _frame(groups: list[_Group], phrases: list[RolePhrase]) -> None:
    """Put each group under the role phrase that governs it."""
    for g in groups:
        for p in phrases:
            if p.compound is not None and p.compound in g.commodities:
                g.frame = p
        if g.frame is None:
            governing = [p for p in phrases if p.end <= g.start]
            g.frame = governing[-1] if governing else None
    for p in phrases:
        if any(g.frame is p for g in groups):
            continue
        before = [g for g in groups if g.start < p.start and g.frame is None]
        if before:
            before[-1].frame = p


def _bundles(groups: list[_Group], commodities: list[Commodity]) -> list[_Bundle]:
    """One bundle per frame and market; unnamed drugs take the named drugs' markets."""
    named_drugs = [c.market for c in commodities if c.term.kind == "drug" and c.market]
    bundles: dict[tuple[int, str], _Bundle] = {}
    for g in groups:
        specific = [c for c in g.commodities if c.term.kind != "generic"]
        generic = [c for c in g.commodities if c.term.kind == "generic"]
        members: list[tuple[str, Commodity]] = [(str(c.market), c) for c in specific]
        if generic and not any(c.term.kind == "drug" for c in specific):
            markets = list(dict.fromkeys(named_drugs)) or ["drug-trade"]
            members += [(m, c) for c in generic for m in markets]
        for market, c in members:
            key = (id(g.frame), market)
            bundle = bundles.setdefault(key, _Bundle(market, g.frame))
            if c.label not in bundle.labels:
                bundle.labels.append(c.label)
            bundle.origins.extend(o for o in c.origins if o not in bundle.origins)
            for pl in g.lists:
                if pl not in bundle.lists:
                    bundle.lists.append(pl)
    return list(bundles.values())


# --------------------------------------------------------------------------- flows


@dataclass
class _Stages:
    origins: list[str]
    transit: list[Stage]
    destinations: list[str]


def _stages(bundle: _Bundle, waypoint_at: int | None) -> _Stages:
    """Origins, ordered transit stages and destinations from the bundle's lists."""
    origins = list(bundle.origins)
    entries: list[tuple[str, PlaceList]] = []
    for pl in sorted(bundle.lists, key=lambda x: x.start):
        role = pl.role
        if role == "weak":
            role = _weak_role(pl, bundle.market) or "none"
        if role == "between":
            entries.append(("origin", PlaceList(pl.mentions[:1], False)))
            entries.append(("destination", PlaceList(pl.mentions[1:], False)))
            continue
        if role == "onward":
            entries = [("transit" if r in ("destination", "entry") else r, p) for r, p in entries]
            role = "destination"
        if role in ("origin", "transit", "destination", "entry"):
            entries.append((role, pl))
    if waypoint_at is not None:
        entries = [
            ("transit" if r in ("destination", "entry") and p.end <= waypoint_at else r, p)
            for r, p in entries
        ]
    has_destination = any(r == "destination" for r, _ in entries)
    transit: list[Stage] = []
    destinations: list[str] = []
    for role, pl in entries:
        codes = pl.codes
        if role == "entry":
            role = "transit" if has_destination else "destination"
        if role == "origin":
            origins.extend(c for c in codes if c not in origins)
        elif role == "destination":
            destinations.extend(c for c in codes if c not in destinations)
        elif role == "transit" and codes:
            transit.append(codes[0] if len(codes) == 1 else codes)
    return _Stages(origins, transit, destinations)


def _weak_role(pl: PlaceList, market: str) -> str | None:
    """The role of a list after a bare locative: its trigger word, else the market's kind."""
    if pl.trigger is not None:
        return pl.trigger
    if market in EXTRACTION_MARKETS:
        return "origin"
    if market in PEOPLE_MARKETS:
        return "destination"
    return None


def _flows(bundle: _Bundle, holder: list[str] | None, waypoint: int | None) -> list[Flow]:
    """The flows of one bundle: one per role its holder takes, or one without a holder."""
    st = _stages(bundle, waypoint)
    label = _label(bundle.labels)
    if bundle.frame is None or not holder:
        return [Flow(bundle.market, label, st.origins, st.transit, st.destinations)]
    out: list[Flow] = []
    roles = bundle.frame.roles
    for role in roles:
        if role == "origin":
            flow = Flow(bundle.market, label, list(holder), list(st.transit), list(st.destinations))
        elif role == "transit":
            stage: Stage = holder[0] if len(holder) == 1 else list(holder)
            transit = [stage] + [s for s in st.transit if s != stage]
            flow = Flow(bundle.market, label, list(st.origins), transit, list(st.destinations))
        else:
            dest = list(holder)
            if "transit" not in roles:
                dest += [d for d in st.destinations if d not in dest]
            flow = Flow(bundle.market, label, list(st.origins), list(st.transit), dest)
        out.append(flow)
    return out


def _waypoint(ctx: Context, clause: Clause) -> int | None:
    """Where "from where" (or a like phrase) turns the places before it into waypoints."""
    last = None
    for m in ctx.lex.signals.finditer(ctx.text, clause.start, clause.end):
        if ctx.lex.signals.value(m) == "waypoint":
            last = m.start()
    return last


def _label(labels: list[str]) -> str:
    """A short label: "heroin", "heroin and opium", "heroin, opium and morphine"."""
    if len(labels) <= 1:
        return labels[0] if labels else ""
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _signals(ctx: Context, clause: Clause) -> set[str]:
    lex = ctx.lex
    return {lex.signals.value(m) for m in lex.signals.finditer(ctx.text, clause.start, clause.end)}


def _complete(flow: Flow, ctx: Context, signals: set[str]) -> None:
    """Fill in the document's subject where the text leaves it implicit."""
    s = ctx.subject
    if s is None or s in flow.place_codes():
        if s is not None and not flow.origin and not flow.transit and flow.destination == [s]:
            if "internal" in signals:
                flow.origin = [s]
        return
    if flow.origin and not flow.transit and not flow.destination:
        if "import" in signals or (flow.market in PEOPLE_MARKETS and "abroad" not in signals):
            flow.destination = [s]
    elif (flow.destination or flow.transit) and not flow.origin:
        if "foreign" not in signals:
            flow.origin = [s]
    elif not flow.origin and not flow.transit and not flow.destination:
        if "internal" in signals:
            flow.origin, flow.destination = [s], [s]
        elif flow.market in EXTRACTION_MARKETS:
            flow.origin = [s]


def _collapse_transit(flow: Flow, gaz: Gazetteer) -> None:
    """Drop a transit region when the next or previous transit stage names one of its
    countries ("enter Central Asia in Tajikistan or Kyrgyzstan")."""
    stages = flow.transit
    if len(stages) < 2:
        return
    as_lists = [[s] if isinstance(s, str) else list(s) for s in stages]
    keep: list[Stage] = []
    for i, stage in enumerate(as_lists):
        neighbours = [c for j in (i - 1, i + 1) if 0 <= j < len(as_lists) for c in as_lists[j]]
        kept = [
            code
            for code in stage
            if not (gaz.is_region(code) and any(n in gaz.members(code) for n in neighbours if gaz.is_country(n)))
        ]
        if kept:
            keep.append(kept[0] if len(kept) == 1 else kept)
    flow.transit = keep


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
