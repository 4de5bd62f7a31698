"""``crimegraph eval``: score extraction against hand-annotated gold files."""

from __future__ import annotations

import argparse
import sys

from graph.cli.base import Command, emit
from graph.errors import CrimegraphError
from graph.tables import render_json, render_table


def run(args: argparse.Namespace) -> int:
    from graph.evaluate import evaluate_files

    gold = [g for g in args.gold if not g.endswith(".profile.json")]
    if not gold:
        raise CrimegraphError("no gold flow file given (profile score files are not flow files)")
    report = evaluate_files(gold, predictions=args.predictions, documents=args.documents)
    for note in report.notes:
        print(f"crimegraph: {note}", file=sys.stderr)
    if args.format == "json":
        emit(render_json(report.as_dict()))
        return 0
    rows = []
    for d in report.documents:
        s = d.scores
        rows.append(
            {
                "document": d.document,
                "country P": round(s.country_legs.precision, 3),
                "country R": round(s.country_legs.recall, 3),
                "country F1": round(s.country_legs.f1, 3),
                "region F1": round(s.region_legs.f1, 3),
                "roles F1": round(s.roles.f1, 3),
            }
        )
    t = report.total
    rows.append(
        {
            "document": "micro-average",
            "country P": round(t.country_legs.precision, 3),
            "country R": round(t.country_legs.recall, 3),
            "country F1": round(t.country_legs.f1, 3),
            "region F1": round(t.region_legs.f1, 3),
            "roles F1": round(t.roles.f1, 3),
        }
    )
    emit(render_table(rows))
    for d in report.documents:
        if d.missed_legs or d.extra_legs:
            emit(f"\n{d.document}")
            for leg in d.missed_legs:
                emit(f"  missed  {leg.market}: {leg.source} → {leg.target}")
            for leg in d.extra_legs:
                emit(f"  extra   {leg.market}: {leg.source} → {leg.target}")
    return 0


def declare(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "gold",
        nargs="+",
        help="gold flow files (spec/flows.md format), corrections files (crimegraph review; "
        "docs/corrections.md), or folders of them",
    )
    p.add_argument(
        "--documents",
        action="append",
        default=[],
        metavar="PATH",
        help="where the documents of corrections files are (files or folders; matched by the "
        "digest of their text); default: beside the corrections file or in the bundled data",
    )
    p.add_argument(
        "--predictions",
        metavar="DIR",
        help="a folder of flow files to score; default: extract each gold file's document",
    )
    p.add_argument("--format", choices=("table", "json"), default="table")


COMMAND = Command("eval", "score extracted flows against hand-annotated gold files", declare, run)
