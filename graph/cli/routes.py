"""``crimegraph routes``: the k shortest chains of stated flow legs of one market from A to B."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from graph.cli.base import Command, emit
from graph.tables import render_json


def implied_text(implied: Any, indent: str = "") -> str:
    """An implied-transit record as lines of text: each suggestion, its confidence and reason."""
    lines = ["implied transit (inferred, not stated):"]
    for s in implied.suggestions:
        label = "direct" if s.kind == "direct" else "via " + "-".join(s.intermediates)
        lines.append(f"{indent}  {label} [confidence {s.confidence:.2f}]: {s.reason}")
    return "\n".join(lines)


def _border_text(leg: Any, indent: str) -> str:
    if leg.borders is None:
        return "a region at one end"
    if leg.borders:
        return "common land border"
    return f"no common land border; {implied_text(leg.implied, indent)}"


def _statement_lines(statements: Any, indent: str) -> list[str]:
    lines = []
    for s in statements:
        hedge = f" [{s.hedge}]" if s.hedge else ""
        generic = " [generic: drugs in general]" if s.generic else ""
        lines.append(f"{indent}{s.commodity or s.market}{hedge}{generic} — {s.document}")
        lines.append(f'{indent}  "{" ".join(s.evidence.split())}"')
    return lines


def _table(routes: list[Any], market: str, source: str, target: str) -> str:
    if not routes:
        return f"no {market} route from {source} to {target} within the hops asked for"
    lines = [f"{market} routes from {source} to {target}, shortest first"]
    for n, route in enumerate(routes, start=1):
        docs, srcs = len(route.documents), route.sources
        lines.append("")
        lines.append(
            f"{n}. {' → '.join(route.places)}  ({route.hops} leg{'s' if route.hops > 1 else ''}, "
            f"{srcs} source{'s' if srcs != 1 else ''} in {docs} document{'s' if docs > 1 else ''})"
        )
        for leg in route.legs:
            generic = " (stated only as drugs in general)" if leg.generic else ""
            lines.append(f"   {leg.source} → {leg.target}{generic}: {_border_text(leg, '     ')}")
            lines += _statement_lines(leg.statements, "     ")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from graph.storecli import route_options, store_routes

    fast = store_routes(args)  # a build directory: answered from its store
    if fast is not None:
        market, source, target, routes = fast
    else:
        from graph.load import load_graph
        from graph.query import market_slug, place_code
        from graph.routes import find_routes

        market, source, target = (
            market_slug(args.market),
            place_code(args.source),
            place_code(args.target),
        )
        g = load_graph(args.graph)
        routes = find_routes(g, market, source, target, **route_options(args))
    if args.format == "json":
        emit(
            render_json(
                {
                    "market": market,
                    "from": source,
                    "to": target,
                    "routes": [
                        {
                            **dataclasses.asdict(r),
                            "hops": r.hops,
                            "documents": r.documents,
                            "sources": r.sources,
                        }
                        for r in routes
                    ],
                }
            )
        )
    else:
        emit(_table(routes, market, source, target))
    return 0


def declare(p: argparse.ArgumentParser) -> None:
    p.add_argument("graph", help="a graph file (.ttl, .nt, .jsonld) or a build directory")
    p.add_argument("--market", required=True, help="the market (slug, label or word: heroin)")
    p.add_argument("--from", dest="source", required=True, metavar="A", help="country or region")
    p.add_argument("--to", dest="target", required=True, metavar="B", help="country or region")
    p.add_argument(
        "--via", action="append", default=[], metavar="C", help="a place to pass (repeatable)"
    )
    p.add_argument("--max-hops", type=int, default=6, metavar="N", help="longest route (legs)")
    p.add_argument("--k", type=int, default=5, metavar="K", help="how many routes (default 5)")
    p.add_argument(
        "--chains", type=int, default=10, metavar="N", help="implied-transit chains shown per leg"
    )
    p.add_argument(
        "--countries-only", action="store_true", help="no region as a stop between the two ends"
    )
    p.add_argument(
        "--include-generic",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="add legs stated only as drugs in general ('drugs', 'narcotics'), shown as generic;"
        " on by default for the drug markets, refused for the others",
    )
    p.add_argument(
        "--precursors",
        action="store_true",
        help="route the precursor chemicals of a drug market (they never join the drug's routes)",
    )
    p.add_argument("--format", choices=("table", "json"), default="table")


COMMAND = Command(
    "routes",
    "the shortest chains of stated flow legs of one market from A to B, with their evidence",
    declare,
    run,
)
