"""Implied transit: how a stated leg between two countries without a common border may run.

A document may say heroin goes from Afghanistan to Kazakhstan without saying how. Suggesting the
shortest chain of land borders whatever the geography gave answers no analyst would accept
(Afghanistan → Mozambique via Israel, Egypt and Sudan). Here, for such a leg:

1. the first suggestion is always **direct**: by air, by sea when both countries have a coast on
   the same basin (:mod:`graph.coasts`), or by a way no source states;
2. then chains through at most :data:`MAX_INTERMEDIATES` countries, each a land neighbour of the
   next, kept only when every intermediate is one the graph states flows **of the same market**
   through (the hub measure of :mod:`graph.hubs`) and the chain makes no long detour (its length
   over country centres at most :data:`MAX_DETOUR` times the direct distance);
3. each suggestion carries a reason and a confidence, and is marked inferred: never stated.

Confidence (0–1) is a plain score, documented so it can be argued with: direct by sea or air
0.4, direct with no coast shared 0.3; a chain 0.3 + 0.3 × (share of its hops that are stated
legs of the market) + 0.3 × min(1, sources behind its weakest intermediate / 5).

>>> borders = {"AFG": {"TKM", "CHN"}, "TKM": {"AFG", "KAZ"}, "KAZ": {"TKM", "CHN"},
...            "CHN": {"AFG", "KAZ"}}
>>> where = {"AFG": (33.0, 65.0), "TKM": (40.0, 60.0), "KAZ": (48.0, 68.0), "CHN": (35.0, 105.0)}
>>> found = suggest(borders, "AFG", "KAZ", where, {"TKM": 3, "CHN": 9}, set())
>>> [(s.kind, s.chain) for s in found.suggestions]
[('direct', ('AFG', 'KAZ')), ('chain', ('AFG', 'TKM', 'KAZ'))]
>>> found.suggestions[1].reason
'through TKM: land neighbours in turn; 3 sources name TKM as transit of this market'
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

#: At most this many countries between the two ends of a suggested chain.
MAX_INTERMEDIATES = 2
#: A chain may be at most this many times as long as the direct line (over country centres).
MAX_DETOUR = 1.5
#: Sources behind an intermediate at which its share of a chain's confidence is full.
FULL_SUPPORT = 5

Point = tuple[float, float]


@dataclass(frozen=True)
class Suggestion:
    """One way an unstated stretch may run: direct, or a chain of land neighbours."""

    #: "direct" or "chain".
    kind: str
    chain: tuple[str, ...]
    reason: str
    confidence: float
    #: Always True: a suggestion is inferred from reference data and the graph, never stated.
    inferred: bool = True

    @property
    def intermediates(self) -> tuple[str, ...]:
        return self.chain[1:-1]


@dataclass(frozen=True)
class ImpliedTransit:
    """The suggestions for a leg between two countries that share no land border."""

    source: str
    target: str
    suggestions: tuple[Suggestion, ...]
    inferred: bool = True

    @property
    def chains(self) -> tuple[tuple[str, ...], ...]:
        """The suggested chains with at least one intermediate, best first."""
        return tuple(s.chain for s in self.suggestions if s.kind == "chain")

    @property
    def countries(self) -> tuple[str, ...]:
        """The countries between source and target on any suggested chain."""
        return tuple(sorted({c for chain in self.chains for c in chain[1:-1]}))

    @property
    def total(self) -> int:
        return len(self.chains)


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance between two (lat, lon) points, in kilometres.

    >>> round(distance_km((0.0, 0.0), (0.0, 1.0)))
    111
    """
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _near(borders: Mapping[str, Collection[str]], node: str) -> Collection[str]:
    return borders[node] if node in borders else ()  # noqa: SIM401 - a NetworkX graph has no get


def _simple_paths(
    borders: Mapping[str, Collection[str]], source: str, target: str, cutoff: int
) -> Iterator[list[str]]:
    """Simple paths of at most ``cutoff`` hops from ``source`` to ``target``."""

    def walk(path: list[str]) -> Iterator[list[str]]:
        for n in sorted(_near(borders, path[-1])):
            if n in path:
                continue
            if n == target:
                yield [*path, n]
            elif len(path) < cutoff:
                yield from walk([*path, n])

    yield from walk([source])


def country_points(g: Any) -> dict[str, Point]:
    """(lat, lon) of every country of an rdflib graph that has them."""
    from graph.rdffacts import country_points as read

    return read(g)


def _direct(source: str, target: str) -> Suggestion:
    from graph.coasts import sea_link  # reference tables: read only when a leg needs them

    sea = sea_link(source, target)
    if sea is not None:
        reason = f"no common land border: direct by air, or by sea ({sea}), or unknown"
        return Suggestion("direct", (source, target), reason, 0.4)
    reason = "no common land border and no shared sea: direct by air, or a way no source states"
    return Suggestion("direct", (source, target), reason, 0.3)


def _detour(chain: tuple[str, ...], where: Mapping[str, Point]) -> float | None:
    if any(c not in where for c in chain):
        return None
    direct = distance_km(where[chain[0]], where[chain[-1]])
    length = sum(distance_km(where[a], where[b]) for a, b in pairwise(chain))
    return length / direct if direct > 0 else None


def suggest(
    borders: Mapping[str, Collection[str]],
    source: str,
    target: str,
    where: Mapping[str, Point],
    support: Mapping[str, int],
    stated: set[tuple[str, str]],
    limit: int = 10,
) -> ImpliedTransit | None:
    """The suggestions for a leg from ``source`` to ``target``; None when they share a border.

    ``where`` gives country centres, ``support`` the hub value (sources) of each country in the
    market, ``stated`` the market's stated legs; ``limit`` caps the chains listed.
    """
    if source == target or target in _near(borders, source):
        return None
    out = [_direct(source, target)]
    chains: list[Suggestion] = []
    if source in borders and target in borders:
        for path in _simple_paths(borders, source, target, MAX_INTERMEDIATES + 1):
            chain = tuple(path)
            inner = chain[1:-1]
            if any(support.get(c, 0) == 0 for c in inner):
                continue
            detour = _detour(chain, where)
            if detour is None or detour > MAX_DETOUR:
                continue
            hops = list(pairwise(chain))
            stated_share = sum(1 for h in hops if h in stated) / len(hops)
            weakest = min(support[c] for c in inner)
            confidence = 0.3 + 0.3 * stated_share + 0.3 * min(1.0, weakest / FULL_SUPPORT)
            named = "; ".join(
                f"{support[c]} source{'s' if support[c] != 1 else ''} name {c} as transit"
                f" of this market"
                for c in inner
            )
            legs = sum(1 for h in hops if h in stated)
            also = f"; {legs} of its {len(hops)} legs stated" if legs else ""
            reason = f"through {', '.join(inner)}: land neighbours in turn; {named}{also}"
            chains.append(Suggestion("chain", chain, reason, round(confidence, 2)))
    chains.sort(key=lambda s: (-s.confidence, len(s.chain), s.chain))
    return ImpliedTransit(source, target, tuple(out + chains[:limit]))
