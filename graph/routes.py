"""Routes of one market from place to place, stitched from the flow legs that documents state.

A route is a chain of legs (A → B → C), each leg stated by at least one flow of the market, in
the direction the flow states it: no leg is ever reversed to make a chain. The k shortest chains
come first (ties: more sources first). For a drug market, legs stated only as drugs in general
join unless ``include_generic`` is False, and are marked generic; precursor flows never join a
drug's routes (``precursors=True`` routes the precursor flows instead). For a leg between two
countries that share no land border, :mod:`graph.transit` suggests how it may run (direct by
sea or air first, then chains through countries the graph states the market's flows through),
each suggestion with a reason and a confidence, inferred, never stated.

>>> from graph.rdf import build_graph
>>> from graph.records import Document, DocumentFlows, Flow
>>> text = "Heroin moves from Afghanistan via Kazakhstan to Russia."
>>> flow = Flow("heroin-trade", "heroin", ["AFG"], ["KAZ"], ["RUS"], evidence=text)
>>> g = build_graph([Document("d.txt", "report", text)], [], [DocumentFlows("d.txt", None, [flow])])
>>> [route] = find_routes(g, "heroin", "Afghanistan", "Russia")
>>> route.places, route.legs[0].statements[0].document
(('AFG', 'KAZ', 'RUS'), 'd.txt')
>>> [s.kind for s in route.legs[0].implied.suggestions]
['direct']
>>> route.legs[1].borders, route.legs[1].implied is None
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph

from graph import legcore
from graph.legcore import Route, RouteLeg, Statement
from graph.legs import land_borders, leg_graph
from graph.query import market_slug, place_code
from graph.transit import ImpliedTransit

__all__ = [
    "ImpliedTransit",
    "Route",
    "RouteLeg",
    "Statement",
    "find_routes",
    "land_borders",
    "leg_graph",
]


def find_routes(
    g: Graph,
    market: str,
    source: str,
    target: str,
    *,
    via: Iterable[str] = (),
    max_hops: int = 6,
    k: int = 5,
    chains: int = 10,
    countries_only: bool = False,
    include_generic: bool | None = None,
    precursors: bool = False,
) -> list[Route]:
    """The k shortest routes of ``market`` from ``source`` to ``target`` (codes or names).

    ``via`` places must be passed in order; ``chains`` caps the implied chains listed per leg;
    ``countries_only`` keeps regions ("Central Asia") out of the stops between the two ends.
    ``include_generic`` (default: True for a drug market) adds legs stated as drugs in general;
    ``precursors`` routes the market's precursor flows instead of the market's own. No route
    within ``max_hops`` gives an empty list. The semantics are :func:`graph.legcore.find_routes`,
    which the store's fast path shares.
    """
    from graph.rdffacts import RdfFacts

    return legcore.find_routes(
        RdfFacts(g),
        market_slug(market),
        place_code(source),
        place_code(target),
        via=[place_code(v) for v in via],
        max_hops=max_hops,
        k=k,
        chains=chains,
        countries_only=countries_only,
        include_generic=include_generic,
        precursors=precursors,
    )
