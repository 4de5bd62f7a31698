"""Turn the role-tagged place groups of a frame into chains: origins, ordered transit stages and
destinations — the shape of a :class:`graph.records.Flow`.

Roles come from the words that govern each group, never from the order in which places appear:
"from A via B to C", "to C via B from A" and "C-bound cargo from A, routed through B" are all
A → B → C. Order matters only among transit stages, and where the text says that one stage
follows another ("then", "from where", "onward to", a second verb of moving): the destinations
before such a link are passed through.

>>> from graph.extract.frames import Group
>>> def g(role, *codes, links=()):
...     from graph.extract.mentions import Mention
...     ms = [Mention("place", 0, 1, 0, 1, c, codes=(c,)) for c in codes]
...     return Group(ms, 0, 1, role=role, links=set(links))
>>> [c.stages() for c in chains([g("destination", "RUS"), g("transit", "KAZ"), g("origin", "AFG")])]
[(['AFG'], ['KAZ'], ['RUS'])]
>>> [c.stages() for c in chains([g("destination", "DUS"), g("transit", "KGZ", links=["sequence"]),
...     g("transit", "UZB", links=["alternative"]), g("destination", "KAZ")])]
[([], ['DUS', ['KGZ', 'UZB']], ['KAZ'])]
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from graph.extract.frames import Group
from graph.records import Stage

#: Whether two countries share a land border (the gazetteer's), for ordering lists of transit
#: places.
Borders = Callable[[str, str], bool]
#: Great-circle distance in km between two places (None when unknown), for ordering lists.
Distance = Callable[[str, str], "float | None"]
#: How much farther from the destination a later place of an ordered list may lie (km).
_DETOUR_KM = 400.0


@dataclass
class Chain:
    """One route a frame states, with the groups that gave each stage (for explanations)."""

    origins: list[str] = field(default_factory=list)
    transit: list[Stage] = field(default_factory=list)
    destinations: list[str] = field(default_factory=list)
    why: list[tuple[str, Group]] = field(default_factory=list)
    #: True when the chain's first stage is a "from there": a place the goods reached before.
    starts_there: bool = False
    #: Origins that qualify the commodity itself ("Afghan heroin"), not a place it left.
    local: list[str] = field(default_factory=list)
    #: The chain of an earlier clause that this one completes with stages on the way to its end.
    completes: Chain | None = None

    def stages(self) -> tuple[list[str], list[Stage], list[str]]:
        return self.origins, self.transit, self.destinations

    def codes(self) -> list[str]:
        out = list(self.origins)
        for s in self.transit:
            out.extend([s] if isinstance(s, str) else s)
        return out + list(self.destinations)


def _no_borders(a: str, b: str) -> bool:
    return False


def branches(groups: list[Group]) -> list[list[Group]]:
    """Split a frame's groups into separate routes: a second origin joined by "or" after transit
    or destination groups starts a new route ("Afghans travel through Türkiye, or Eritreans
    via Libya"), and so does an end joined by "or" to a way through ("through Togo or by air
    to Dubai"); other origins named late belong to the same route ("… is sold in Almaty,
    and the drug comes from Afghanistan")."""
    out: list[list[Group]] = []
    current: list[Group] = []
    carried: set[int] = set()  # ends a route reached "or" from elsewhere took from the one before
    for g in groups:
        starts_new = (
            g.role == "origin"
            and not g.there
            and any(x.role in ("transit", "destination", "entry", "onward") for x in current)
            and ("alternative" in g.links or g.why == "→")
        )  # or a second route written with arrows ("A → B and C → D")
        if starts_new:
            out.append(current)
            # "arrives at Tema or overland from Togo", "lands in Mombasa or comes from Uganda":
            # the same end, reached another way
            current = [x for x in current if x.role in ("destination", "entry") and g.why == "from"]
            if current:
                out[-1] = [x for x in out[-1] if x not in current or x.role != "origin"]
                carried = {id(x) for x in current}
                current = [g, *current]
                continue
        elif carried and g.role in ("destination", "onward", "entry") and current:
            # "smuggled to Libya or flown from Khartoum to Dubai": the new route's own end
            current = [x for x in current if id(x) not in carried]
            carried = set()
        elif (
            g.role in ("destination", "onward")
            and "alternative" in g.links
            and current
            and current[-1].role == "transit"
            and not any(x.role in ("destination", "entry", "onward") for x in current)
        ):
            # "leaves through Togo or by air to Dubai": another way out, from the same start
            out.append(current)
            current = [x for x in current if x.role == "origin"]
        current.append(g)
    if current:
        out.append(current)
    return out


def _no_members(code: str) -> tuple[str, ...]:
    return ()


def _no_distance(a: str, b: str) -> float | None:
    return None


def chains(
    groups: list[Group],
    borders: Borders = _no_borders,
    origins: list[str] | None = None,
    members: Callable[[str], tuple[str, ...]] = _no_members,
    distance: Distance = _no_distance,
    ends: list[str] | None = None,
) -> list[Chain]:
    """The chains of a frame's role groups (holders and local qualifiers are added later);
    ``origins`` are the commodity's own origins ("Afghan opiates"), for ordering transit lists;
    ``members`` gives a region's countries (a region listed with its countries is coded by them
    in origins and transit: "through Asian ports, notably in Malaysia and Thailand"); ``ends``
    are the commodity's own destinations ("heroin consumed in Australia")."""
    out: list[Chain] = []
    kept: list[Group] = []
    carried: set[str] = set()
    for g in groups:
        if g.role is None:
            # "trucked to Peru or loaded onto boats on the Amazon and taken to Colombia": the
            # "or" before a place of no role still joins the routes around it
            carried |= g.links & {"alternative"}
            continue
        if carried:
            g = dataclasses.replace(g, links=g.links | carried)
            carried = set()
        kept.append(g)
    for branch in branches(kept):
        for route in _direct_or_via(branch):
            out.extend(
                _branch_chains(
                    route, _Geo(borders, members, distance, tuple(ends or ())), origins or []
                )
            )
    return out


def _direct_or_via(branch: list[Group]) -> list[list[Group]]:
    """ "either directly from Senegal or through Mali and Niger": two routes, one with
    the direct stage and one with the stages after "or"."""
    direct = [g for g in branch if "direct" in g.links]
    if not direct:
        return [branch]
    both = [g for g in direct if "alternative" in g.links and g.role == "transit"]
    if both:  # "to Canada, either directly or via India": with and without the stage
        return [[g for g in branch if g is not both[0]], branch]
    after = [
        g
        for g in branch
        if g.i > direct[0].i
        and "alternative" in g.links
        and (g.role == "transit" or "first" in g.links)
    ]  # not "fly it directly from Venezuela to Honduras or ship it to Haiti": other ends
    if not after:
        return [branch]
    first_alt = after[0]
    via = [g for g in branch if g.i >= first_alt.i]
    one = [g for g in branch if g not in via]
    two = [g for g in branch if g not in direct]
    return [one, two]


@dataclass(frozen=True)
class _Geo:
    """What the chain builder knows of geography."""

    borders: Borders
    members: Callable[[str], tuple[str, ...]]
    distance: Distance
    #: Where the commodity itself is said to end ("heroin consumed in Australia"), for ordering
    #: transit lists when the route names no destination of its own.
    ends: tuple[str, ...] = ()


def _branch_chains(branch: list[Group], geo: _Geo, origins: list[str]) -> list[Chain]:
    """One route, or two where a transit stage is "often" (the route with and without it), or
    where only part of the goods go on ("where part of it is consumed and the rest is sent on
    to China": the route to the stop, and the route on)."""
    optional = [g for g in branch if g.role == "transit" and "often" in g.links]
    part = next((n for n, g in enumerate(branch) if n and "part" in g.links), 0)
    stop = _chain(branch[:part], geo, origins) if part else None
    chain = _chain(branch, geo, origins)
    ways = [stop, chain] if stop is not None and stop.destinations else [chain]
    if not optional:
        return ways
    direct = _chain([g for g in branch if g not in optional], geo, origins)
    return [direct, *ways]


def _passed_through(entries: list[tuple[str, Group]]) -> list[tuple[str, Group]]:
    """The entries with the places reached so far made stages on the way, except where the
    goods are said to end ("heroin reaching Europe")."""
    return [
        ("transit" if r in ("destination", "entry") and not g.final else r, g) for r, g in entries
    ]


def _chain(branch: list[Group], geo: _Geo, origins: list[str]) -> Chain:
    for n, g in enumerate(branch):
        if g.aimed and any(
            h.role in ("onward", "back", "destination") or "sequence" in h.links
            for h in branch[n + 1 :]
        ):
            g.final = False  # "heroin reaching Turkey is then moved on to Bulgaria": a stage
        elif (
            g.final
            and g.why.split(" ")[0].lower() in ("heading", "headed", "bound")
            and any(h.role == "onward" for h in branch[n + 1 :])
        ):
            g.final = False  # "heading for the Azores before continuing to Spain": a stage
    chain = Chain()
    entries: list[tuple[str, Group]] = []
    last_verb = -1
    detailing = False  # inside a relative clause that details the way to the destination
    inside = False  # … in a "where" clause about a transit region: every place there is a stage
    previous_role = ""  # the role of the group before
    nationals = any(g.role == "origin" and g.why.endswith("(people)") for g in branch)
    for g in branch:
        role = g.role or ""
        if inside and role in ("entry", "destination", "transit") and not g.there:
            # "trafficked to Europe via West Africa, where shipments arrive in Guinea before
            # being moved through Mali to Libya": stages inside the way to Europe
            entries.insert(len(entries) - _trailing_destinations(entries), ("transit", g))
            continue
        inside = False
        if nationals and role == "origin" and g.cue_i >= 0 and not g.why.endswith("(people)"):
            role = "transit"  # "migrants crossed from Colombia …, most of them Venezuelans"
        if role == "between" and not entries:
            entries.append(("origin", _sub(g, 0, 1)))
            entries.append(("destination", _sub(g, 1, len(g.places))))
            continue
        if role == "between":
            role = "transit"  # "enter the EU via the land border between Türkiye and Bulgaria"
        second_start = role == "origin" and any(r == "origin" for r, _ in entries)
        if (
            "earlier" in g.links
            and (role in ("destination", "entry", "transit") or second_start)
            and entries
        ):
            # "smuggled into the US through Mexico, having first flown to Ecuador": a stage
            # before the ones named already
            at = next((n for n, (r, _) in enumerate(entries) if r != "origin"), len(entries))
            entries.insert(at, ("transit", g))
            continue
        tail = _trailing_destinations(entries)
        if "inside" in g.links and tail and previous_role == "transit" and not g.there:
            entries.insert(len(entries) - tail, ("transit", g))
            inside = True
            continue
        previous_role = role
        if role != "transit" or not tail or g.there:
            detailing = False
        elif "detail" in g.links or detailing:
            # "reach Western Europe along the Balkan route, which runs through Iran and Turkey
            # before crossing Bulgaria": stages on the way there, in the order given
            entries.insert(len(entries) - tail, (role, g))
            detailing = True
            continue
        moved_on = (  # "landed in Senegal, was later moved through Mali": a later movement
            tail
            and g.verb_i >= 0
            and entries[-1][1].verb_i >= 0
            and g.verb_i != entries[-1][1].verb_i
            and entries[-1][0] == "entry"
        )
        way_there = role == "transit" and "sequence" not in g.links and not g.there
        if way_there and tail and not moved_on:
            # "flown to Khartoum, often via Doha", "enter the EU through Slovakia", "lured to
            # camps in Sabah, usually entering through Tawau": the way to the
            # destination named just before
            entries.insert(len(entries) - tail, (role, g))
            continue
        if role == "transit" and "often" in g.links and entries and not g.there:
            # "through Kazakhstan and on to Russia, sometimes via Uzbekistan": where it fits
            entries.insert(_best_slot(entries, g, geo), (role, g))
            continue
        passed = "sequence" in g.links or g.there or role == "onward"
        if (
            not passed
            and role in ("transit", "destination", "entry")
            and g.verb_i >= 0
            and last_verb >= 0
            and g.verb_i != last_verb
            and not ({"alternative", "first", "also"} & g.links)
        ):
            passed = any(r in ("destination", "entry") for r, _ in entries)
        if passed:
            entries = _passed_through(entries)
        if g.there:
            role = "transit" if entries or g.places[0].value == "reached" else "origin"
            chain.starts_there = not entries
        elif role == "origin" and "sequence" in g.links and entries:
            role = "transit"  # "flown to Khartoum before leaving from eastern Sudan"
        if (
            role == "origin"
            and entries
            and entries[-1][0] in ("destination", "entry")
            and entries[-1][1].codes == g.codes
            and g.why.split(" ")[-1] in ("from", "of")  # not "Kazakhstanis abroad"
        ):
            # "from Afghanistan to Iran and from Iran via Turkey to Europe": it goes on from
            # where it arrived, as after "from there"
            entries = _passed_through(entries)
            continue
        if role in ("onward", "back"):
            role = "destination"
        if role == "destination" and "first" in g.links and not g.final:
            role = "transit"  # "trucked to Dakar first"
        elif role == "origin" and "sequence" not in g.links:
            earlier = [x for r, x in entries if r == "origin"]
            cued = g.cue_i >= 0 and not g.why.endswith("(people)")
            # "traced to stocks in Libya, and to shipments diverted from …": another start
            separate = "also" in g.links
            if (
                earlier
                and cued
                and not separate
                and g.verb_i >= 0
                and all(x.verb_i != g.verb_i for x in earlier)
            ):
                role = "transit"  # "originated in Colombia and was shipped from Ecuador"
                g.alternatives = True
                tail = _trailing_destinations(entries)
                if tail:  # "enter the country from Albania": that way in comes first
                    entries.insert(len(entries) - tail, (role, g))
                    continue
            elif not earlier and entries and not g.there:
                # "cocaine entering Europe is shipped from Colombia, often transiting Ecuador":
                # the start named after the end still comes first
                entries.insert(0, (role, g))
                if g.verb_i >= 0:
                    last_verb = g.verb_i
                continue
        entries.append((role, g))
        if g.verb_i >= 0:
            last_verb = g.verb_i
    later_stage = False
    resolved: list[tuple[str, Group]] = []
    for role, g in reversed(entries):
        if role == "entry":  # where goods were seized is where they were found, not a way
            ends = "seized" in g.links or g.final  # "heroin entering Russia … transits KAZ"
            role = "transit" if later_stage and not ends else "destination"
        if role in ("transit", "destination"):
            later_stage = True
        resolved.append((role, g))
    resolved.reverse()
    starts = {c for role, g in resolved if role == "origin" for c in g.codes}
    others = [g for role, g in resolved if role == "destination" and not set(g.codes) <= starts]
    if others:
        # "Argentine authorities detected shipments leaving Rosario for Africa": found where
        # they started, on their way out, not where they end
        resolved = [
            (role, g)
            for role, g in resolved
            if not (role == "destination" and "seized" in g.links and set(g.codes) <= starts)
        ]
    if any(role == "destination" and g.final for role, g in resolved):
        # "crossed from Colombia into Panama …, heading for the United States": where they
        # end is the place they head for; the others are on the way
        resolved = [
            ("transit" if role == "destination" and not g.final else role, g)
            for role, g in resolved
        ]
    previous: list[str] = list(origins)
    pending_alt: list[str] | None = None
    final = next((g.codes for role, g in reversed(resolved) if role == "destination"), [])
    final = final or list(geo.ends)
    for n, (role, g) in enumerate(resolved):
        codes = g.codes
        if role in ("origin", "transit"):
            codes = without_covered_regions(codes, geo.members)
        if not codes:
            continue
        chain.why.append((role, g))
        if role == "origin":
            chain.origins.extend(c for c in codes if c not in chain.origins)
            previous = codes
        elif role == "destination":
            chain.destinations.extend(c for c in codes if c not in chain.destinations)
        elif role == "transit":
            following = _next_codes(resolved, n)
            parallel = len(codes) < len(g.codes)  # a region and its countries: examples
            parallel = parallel or _away_from(codes, final, geo.distance)
            # "smuggled into Uganda and Rwanda before being exported": places the goods were
            # said to reach, each of them a way on, not a road from one to the other
            parallel = parallel or g.role in ("destination", "entry", "onward")
            stages = _transit_stages(g, codes, previous, following, geo.borders, parallel)
            if "alternative" in g.links and chain.transit and pending_alt is not None:
                merged = [c for s in [chain.transit.pop(), *stages] for c in stage_codes(s)]
                stages = [list(dict.fromkeys(merged))]
            chain.transit.extend(stages)
            pending_alt = codes
            previous = stage_codes(stages[-1]) if stages else previous
    chain.transit = _dedupe(chain.transit, chain.origins, chain.destinations)
    return chain


def _best_slot(entries: list[tuple[str, Group]], g: Group, geo: _Geo) -> int:
    """Where a "sometimes via X" stage detours least: between the stages it lies between."""
    code = g.codes[0] if g.codes else ""
    best, cost = len(entries), float("inf")
    for n in range(1, len(entries) + 1):
        before = entries[n - 1][1].codes[:1]
        after = entries[n][1].codes[:1] if n < len(entries) else []
        if not before:
            continue
        d1 = geo.distance(before[0], code)
        d2 = geo.distance(code, after[0]) if after else 0.0
        d0 = geo.distance(before[0], after[0]) if after else 0.0
        if d1 is None or d2 is None or d0 is None:
            continue
        if d1 + d2 - d0 < cost:
            best, cost = n, d1 + d2 - d0
    return best


def _trailing_destinations(entries: list[tuple[str, Group]]) -> int:
    """How many destination or entry groups end the entries read so far."""
    tail = 0
    while tail < len(entries) and entries[len(entries) - 1 - tail][0] in ("destination", "entry"):
        tail += 1
    return tail


def _sub(g: Group, a: int, b: int) -> Group:
    return Group(g.places[a:b], g.i, g.j, role=g.role, why=g.why, links=set(g.links))


def _next_codes(entries: list[tuple[str, Group]], n: int) -> list[str]:
    for role, g in entries[n + 1 :]:
        if role in ("transit", "destination") and g.codes:
            return g.codes
    return []


def stage_codes(stage: Stage) -> list[str]:
    """The places of a transit stage: one code, or the alternatives of one stage."""
    return [stage] if isinstance(stage, str) else list(stage)


def without_covered_regions(
    codes: list[str], members: Callable[[str], tuple[str, ...]]
) -> list[str]:
    """A region listed with some of its own countries is coded by the countries."""
    named = set(codes)
    kept = [c for c in codes if not (set(members(c)) & (named - {c}))]
    return kept or codes


def _away_from(codes: list[str], final: list[str], distance: Distance) -> bool:
    """True when a list read in order would lead away from the destination ("via the
    Netherlands and Brazil" to Europe): then its places are alternatives, not a chain."""
    if len(codes) < 2 or not final:
        return False
    for a, b in itertools.pairwise(codes):
        da, db = distance(a, final[0]), distance(b, final[0])
        if da is not None and db is not None and db > da + _DETOUR_KM:
            return True
    return False


def _transit_stages(
    g: Group,
    codes: list[str],
    previous: list[str],
    following: list[str],
    borders: Borders,
    parallel: bool = False,
) -> list[Stage]:
    """The stages of one transit group: "A or B" is one stage of alternatives; "A and B" an
    ordered chain unless every place borders both the stage before and the stage after (then
    they are parallel crossings: "through Benin and Niger into Nigeria"); sub-national places
    (ports, cities) of a list are parallel too ("through Antwerp and Rotterdam")."""
    if len(codes) == 1:
        return [codes[0]]
    if g.alternatives or parallel or all(p.via == "locality" for p in g.places):
        return [codes]
    if (
        previous
        and following
        and all(
            any(borders(c, p) for p in previous) and any(borders(c, f) for f in following)
            for c in codes
        )
    ):
        return [codes]
    if previous and not following and all(any(borders(c, p) for p in previous) for c in codes):
        return [codes]
    return list(codes)


def _dedupe(stages: list[Stage], origins: list[str], destinations: list[str]) -> list[Stage]:
    """Consecutive equal stages once ("to the Polish border and into Poland"); a transit
    place that is also the flow's only origin or only destination is dropped."""
    out: list[Stage] = []
    for s in stages:
        if out and out[-1] == s:
            continue
        out.append(s)
    return [s for s in out if not ([s] == origins or [s] == destinations)]
