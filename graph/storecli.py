"""The fast path of ``routes`` and ``neighbours``: a build directory's store, when it has one.

Each function answers the command from the persistent store (:mod:`graph.storefacts`, read by
the one implementation of :mod:`graph.legcore`) when its
``graph`` argument is a build directory with a sound store, and returns None otherwise (a
graph file, or a store that is missing or damaged), in which case the command answers from
rdflib as before. Arguments are resolved as the rdflib path resolves them (market by the
vocabulary, places by code or name).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def _open(path: str) -> Any:
    """The build directory's persistent store, or None to use the rdflib path."""
    from graph.diskstore import open_graph, store_problem

    if not Path(path).is_dir() or store_problem(Path(path)) is not None:
        return None
    graph = open_graph(path)
    if not graph.persistent:
        graph.close()
        return None
    return graph


def store_routes(args: argparse.Namespace) -> tuple[str, str, str, list[Any]] | None:
    """``(market, from, to, routes)`` of ``crimegraph routes`` from the store, or None."""
    graph = _open(args.graph)
    if graph is None:
        return None
    from graph.legcore import find_routes
    from graph.storefacts import StoreFacts
    from graph.storequery import market_term, store_place_code

    try:
        market = market_term(graph, args.market)
        source, target = store_place_code(graph, args.source), store_place_code(graph, args.target)
        stops = [store_place_code(graph, v) for v in args.via]
        options = {**route_options(args), "via": stops}
        routes = find_routes(StoreFacts(graph), market, source, target, **options)
    finally:
        graph.close()
    return market, source, target, list(routes)


def route_options(args: argparse.Namespace) -> dict[str, Any]:
    """The options of ``crimegraph routes`` as keyword arguments of ``find_routes`` (either
    engine's)."""
    return {
        "via": args.via,
        "max_hops": args.max_hops,
        "k": args.k,
        "chains": args.chains,
        "countries_only": args.countries_only,
        "include_generic": args.include_generic,
        "precursors": args.precursors,
    }


def store_neighbours(args: argparse.Namespace) -> tuple[Any, frozenset[str]] | None:
    """The report of ``crimegraph neighbours`` from the store and the slugs of the aggregate
    indicators, or None."""
    graph = _open(args.graph)
    if graph is None:
        return None
    from graph.legcore import neighbours
    from graph.storefacts import StoreFacts
    from graph.storequery import store_country_code

    try:
        facts = StoreFacts(graph)
        report = neighbours(facts, store_country_code(graph, args.country), chains=args.chains)
        return report, facts.aggregates()
    finally:
        graph.close()
