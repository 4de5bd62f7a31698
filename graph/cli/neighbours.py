"""``crimegraph neighbours``: a country's land neighbours and the flows, checkpoints and scores
that tie it to each; flows to countries further away with their implied transit."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from graph.cli.base import Command, emit
from graph.cli.routes import implied_text
from graph.tables import render_json, render_table


def _crossings_table(crossings: Any, evidence: bool) -> str:
    """One row per direction and market; with ``evidence``, the passages below the table."""
    if not crossings:
        return "no flow legs"
    rows = [
        {
            "direction": f"{c.source} → {c.target}",
            "market": c.market,
            "commodities": sorted({s.commodity for s in c.statements if s.commodity}),
            "checkpoints": list(c.checkpoints),
            "documents": len({s.document for s in c.statements}),
        }
        for c in crossings
    ]
    lines = [render_table(rows, max_width=60)]
    if evidence:
        for c in crossings:
            for s in c.statements:
                text = " ".join(s.evidence.split())
                lines.append(f'  {c.source} → {c.target} {c.market}, {s.document}: "{text}"')
    return "\n".join(lines)


def _checkpoints_text(neighbour: Any) -> str:
    """The checkpoints placed on the border, else those that the flows across it name."""
    if neighbour.checkpoints:
        return ", ".join(neighbour.checkpoints)
    named = sorted({c for x in (*neighbour.outgoing, *neighbour.incoming) for c in x.checkpoints})
    if named:
        return f"none placed on it; the flows across it name {', '.join(named)}"
    return "none named"


def _summary_indicators(aggregates: frozenset[str] | None, neighbour: Any) -> set[str]:
    """Aggregate scores and the markets that cross this border."""
    if aggregates is None:  # a report from the store comes with them
        from graph.vocab import indicators

        aggregates = frozenset(i.slug for i in indicators() if i.group == "aggregate")
    return set(aggregates) | {c.market for c in (*neighbour.outgoing, *neighbour.incoming)}


def _scores_table(
    report: Any, neighbour: Any, which: str, aggregates: frozenset[str] | None
) -> str:
    wanted = _summary_indicators(aggregates, neighbour) if which == "summary" else None
    rows = [
        {
            "indicator": s.indicator,
            "edition": s.edition,
            report.iso3: s.country,
            neighbour.iso3: s.partner,
        }
        for s in neighbour.scores
        if wanted is None or s.indicator in wanted
    ]
    if not rows:
        return "no scores for either country"
    return render_table(rows, ["indicator", "edition", report.iso3, neighbour.iso3])


def _table(
    report: Any, scores: str, evidence: bool, aggregates: frozenset[str] | None = None
) -> str:
    codes = ", ".join(n.iso3 for n in report.neighbours) or "none"
    lines = [f"{report.name} ({report.iso3}): {len(report.neighbours)} land neighbours: {codes}"]
    for n in report.neighbours:
        lines += [
            "",
            f"== {n.name} ({n.iso3})",
            _crossings_table((*n.outgoing, *n.incoming), evidence),
        ]
        lines.append(f"checkpoints on the {report.iso3}-{n.iso3} border: {_checkpoints_text(n)}")
        if scores != "none":
            lines.append(_scores_table(report, n, scores, aggregates))
    if report.distant:
        lines += ["", "== Countries without a common border"]
        for p in report.distant:
            lines += [
                "",
                f"-- {p.name} ({p.iso3}): {implied_text(p.implied)}",
                _crossings_table((*p.outgoing, *p.incoming), evidence),
            ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from graph.storecli import store_neighbours

    aggregates: frozenset[str] | None = None
    fast = store_neighbours(args)  # a build directory: answered from its store
    if fast is not None:
        report, aggregates = fast
    else:
        from graph.load import load_graph
        from graph.neighbours import neighbours
        from graph.query import country_code

        country = country_code(args.country)
        g = load_graph(args.graph)
        report = neighbours(g, country, chains=args.chains)
    if args.format == "json":
        emit(render_json(dataclasses.asdict(report)))
    else:
        emit(_table(report, args.scores, args.evidence, aggregates))
    return 0


def declare(p: argparse.ArgumentParser) -> None:
    p.add_argument("graph", help="a graph file (.ttl, .nt, .jsonld) or a build directory")
    p.add_argument("country", help="ISO3 code or name of the country")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument(
        "--scores",
        choices=("summary", "all", "none"),
        default="summary",
        help="scores side by side: aggregates and the markets crossing the border (summary), "
        "every indicator (all) or none",
    )
    p.add_argument("--evidence", action="store_true", help="print the passages that state each leg")
    p.add_argument(
        "--chains",
        type=int,
        default=10,
        metavar="N",
        help="implied-transit chains shown per country",
    )


COMMAND = Command(
    "neighbours",
    "a country's land neighbours: flows across each border, checkpoints, scores side by side",
    declare,
    run,
)
