"""Commodity words read together (groups), the places each group takes, the role phrase that
governs it (its frame), and the bundles of one market and frame that flows are built from."""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.extract.lexicon import Lexicon
from graph.extract.mentions import Commodity, RolePhrase, is_glue
from graph.extract.placelists import PlaceList

DRUG_MARKETS = frozenset(
    {"heroin-trade", "cocaine-trade", "cannabis-trade", "synthetic-drug-trade", "drug-trade"}
)


@dataclass
class Group:
    """Commodity words read together ("cocaine, heroin, and Afghan hashish"), and the places
    attached to them."""

    commodities: list[Commodity]
    lists: list[PlaceList] = field(default_factory=list)
    frame: RolePhrase | None = None

    @property
    def start(self) -> int:
        return self.commodities[0].start


@dataclass
class Bundle:
    """One market of one frame: what a flow (or one per role of the frame's holder) is built
    from."""

    market: str
    frame: RolePhrase | None
    labels: list[str] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)
    destinations: list[str] = field(default_factory=list)
    lists: list[PlaceList] = field(default_factory=list)


def build_groups(
    text: str, commodities: list[Commodity], lists: list[PlaceList], lex: Lexicon
) -> list[Group]:
    """Commodity words joined by filler, adjectives or the places that qualify them."""
    groups: list[Group] = []
    modifiers = [pl for pl in lists if pl.modifies is not None]
    for c in commodities:
        if groups:
            prev = groups[-1].commodities[-1]
            inner = [pl for pl in lists if prev.end <= pl.start and pl.end <= c.start]
            if (
                _same_family(prev, c)
                and all(pl in modifiers for pl in inner)
                and _joins(text, prev.end, c.start, inner, lex)
            ):
                groups[-1].commodities.append(c)
                continue
        groups.append(Group([c]))
    for pl in modifiers:
        if pl.modifies is not None:
            side = pl.modifies.destinations if pl.role == "destination" else pl.modifies.origins
            side.extend(code for code in pl.codes if code not in side)
    for g in groups:
        inherited: list[str] = []
        for c in g.commodities:
            if c.origins:
                inherited = c.origins
            else:
                c.origins = list(inherited)
    return groups


def _same_family(a: Commodity, b: Commodity) -> bool:
    """Drugs list with drugs, and other goods only with goods of their market: "trafficking
    of women and children, petrol smuggling into Cambodia" are two items, not one."""
    if a.market in DRUG_MARKETS and b.market in DRUG_MARKETS:
        return True
    return a.market == b.market


def _joins(text: str, start: int, end: int, inner: list[PlaceList], lex: Lexicon) -> bool:
    """True when only filler, adjectives and qualifying places stand between two commodities."""
    pieces, pos = [], start
    for pl in inner:
        pieces.append(text[pos : pl.start])
        pos = pl.end
    pieces.append(text[pos:end])
    return all(is_glue(p, lex, lex.joiners | lex.adjectives) for p in pieces)


def attach_places(groups: list[Group], lists: list[PlaceList]) -> None:
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


def frame_groups(groups: list[Group], phrases: list[RolePhrase]) -> None:
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


def distribute_routes(groups: list[Group]) -> None:
    """In an enumeration of drugs that each name only an origin, the route named after the
    last item is the route of all ("heroin from Southwest Asia, cocaine from South America,
    and methamphetamine from Nigeria transit destined for Europe")."""
    for i in range(len(groups) - 2, -1, -1):
        g, nxt = groups[i], groups[i + 1]
        if not _same_family(g.commodities[-1], nxt.commodities[0]) or not _same_roles(
            g.frame, nxt.frame
        ):
            continue
        if all(pl.role == "origin" for pl in g.lists):
            g.lists.extend(pl for pl in nxt.lists if pl.role != "origin" and pl not in g.lists)


def _same_roles(a: RolePhrase | None, b: RolePhrase | None) -> bool:
    """Two frames that give the same roles ("major supplier of heroin and largest supplier of
    marijuana ... to the US")."""
    if a is None or b is None:
        return a is b
    return a is b or a.roles == b.roles


def bundles_of(groups: list[Group], commodities: list[Commodity]) -> list[Bundle]:
    """One bundle per frame and market; unnamed drugs take the named drugs' markets."""
    named_drugs = [c.market for c in commodities if c.term.kind == "drug" and c.market]
    bundles: dict[tuple[int, str], Bundle] = {}
    for g in groups:
        specific = [c for c in g.commodities if c.term.kind != "generic"]
        generic = [c for c in g.commodities if c.term.kind == "generic"]
        members: list[tuple[str, Commodity]] = [(str(c.market), c) for c in specific]
        if generic and not any(c.term.kind == "drug" for c in specific):
            markets = list(dict.fromkeys(named_drugs)) or ["drug-trade"]
            members += [(m, c) for c in generic for m in markets]
        for market, c in members:
            key = (id(g.frame), market)
            bundle = bundles.setdefault(key, Bundle(market, g.frame))
            if c.label not in bundle.labels:
                bundle.labels.append(c.label)
            bundle.origins.extend(o for o in c.origins if o not in bundle.origins)
            bundle.destinations.extend(d for d in c.destinations if d not in bundle.destinations)
            for pl in g.lists:
                if pl not in bundle.lists:
                    bundle.lists.append(pl)
    return list(bundles.values())
