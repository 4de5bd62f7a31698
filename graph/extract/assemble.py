"""Build flows from a bundle: origins, ordered transit stages and destinations, one flow per
role of the holder, and the document's subject where a report leaves it implicit."""

from __future__ import annotations

from dataclasses import dataclass

from graph.extract.groups import Bundle
from graph.extract.placelists import PlaceList
from graph.places import Gazetteer
from graph.records import Flow, Stage

#: Markets whose goods are taken from where they are found (a bare "in X" is their origin).
EXTRACTION_MARKETS = frozenset({"flora-crimes", "fauna-crimes", "non-renewable-resource-crimes"})
PEOPLE_MARKETS = frozenset({"human-trafficking", "human-smuggling"})


@dataclass
class _Stages:
    """The chain of a flow before a holder's role is added."""

    origins: list[str]
    transit: list[Stage]
    destinations: list[str]


def _stages(bundle: Bundle, waypoint_at: int | None) -> _Stages:
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
    has_destination = bool(bundle.destinations) or any(r == "destination" for r, _ in entries)
    transit: list[Stage] = []
    destinations: list[str] = list(bundle.destinations)
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


def bundle_flows(bundle: Bundle, holder: list[str] | None, waypoint: int | None) -> list[Flow]:
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


def _label(labels: list[str]) -> str:
    """A short label: "heroin", "heroin and opium", "heroin, opium and morphine"."""
    if len(labels) <= 1:
        return labels[0] if labels else ""
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def complete_with_subject(flow: Flow, s: str | None, kind: str, signals: set[str]) -> None:
    """Fill in the document's subject ``s`` where the text leaves it implicit; ``kind`` is
    "report" (clauses whose subject is the document's country) or "profile"."""
    if s is None:
        return
    people = flow.market in PEOPLE_MARKETS and "abroad" not in signals
    foreign = [o for o in flow.origin if o != s]
    if people and foreign and not flow.transit and not flow.destination:
        # "Namibian children, as well as children from Angola, are exploited [in Namibia]"
        flow.destination = [s]
        return
    if s in flow.place_codes():
        internal = "internal" in signals and not flow.origin and not flow.transit
        if internal and flow.destination == [s]:
            flow.origin = [s]
        return
    if flow.origin and flow.destination and not flow.transit and kind == "report":
        flow.transit = [s]  # "[Kyrgyzstan:] illegal drugs move from Afghanistan to Russia"
    elif flow.origin and not flow.transit and not flow.destination:
        if "import" in signals:
            flow.destination = [s]
    elif (flow.destination or flow.transit) and not flow.origin:
        if "foreign" not in signals:
            flow.origin = [s]
    elif not flow.origin and not flow.transit and not flow.destination:
        if "internal" in signals:
            flow.origin, flow.destination = [s], [s]
        elif flow.market in EXTRACTION_MARKETS and kind == "profile":
            flow.origin = [s]  # "The poaching of sturgeon is a significant issue"


def collapse_transit(flow: Flow, gaz: Gazetteer) -> None:
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
            if not (
                gaz.is_region(code)
                and any(n in gaz.members(code) for n in neighbours if gaz.is_country(n))
            )
        ]
        if kept:
            keep.append(kept[0] if len(kept) == 1 else kept)
    flow.transit = keep
