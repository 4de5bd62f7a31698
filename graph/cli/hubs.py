"""``crimegraph hubs``: places ranked by the hub measure of one market, with its sources."""

from __future__ import annotations

import argparse
import dataclasses

from graph.cli.base import Command, emit
from graph.errors import CrimegraphError
from graph.tables import render_json, render_table


def run(args: argparse.Namespace) -> int:
    from graph.hubs import hub_ranking
    from graph.legs import is_drug_market
    from graph.load import load_graph
    from graph.query import market_slug

    if args.top is not None and args.top < 1:
        raise CrimegraphError(f"--top must be at least 1, not {args.top}")
    market = market_slug(args.market)
    if args.include_generic and not is_drug_market(market):
        raise CrimegraphError(f"--include-generic is for the drug markets, not {market}")
    g = load_graph(args.graph)
    hubs = hub_ranking(
        g,
        market,
        include_generic=args.include_generic,
        countries_only=not args.regions,
        top=args.top,
    )
    if args.format == "json":
        emit(render_json({"market": market, "hubs": [dataclasses.asdict(h) for h in hubs]}))
        return 0
    if not hubs:
        emit(f"no place is named as a transit stage of {market}")
        return 0
    emit(
        f"{market}: places named as transit, by distinct sources (a passage repeated by several"
        " editions of one source series counts once)"
    )
    rows = [
        {
            "rank": n,
            "place": h.place,
            "name": h.label,
            "sources": h.sources,
            "generic": h.generic_sources,
            "series": h.series,
            "documents": h.documents,
            "flows": h.flows,
        }
        for n, h in enumerate(hubs, start=1)
    ]
    emit(render_table(rows))
    return 0


def declare(p: argparse.ArgumentParser) -> None:
    p.add_argument("graph", help="a graph file (.ttl, .nt, .jsonld) or a build directory")
    p.add_argument("--market", required=True, help="the market (slug, label or word: cocaine)")
    p.add_argument("--top", type=int, metavar="N", help="keep the first N places")
    p.add_argument(
        "--include-generic",
        action="store_true",
        help="also count flows stated only as drugs in general (drug markets only)",
    )
    p.add_argument("--regions", action="store_true", help="rank regions too, not only countries")
    p.add_argument("--format", choices=("table", "json"), default="table")


COMMAND = Command(
    "hubs",
    "places ranked by how many distinct sources name them as transit of one market",
    declare,
    run,
)
