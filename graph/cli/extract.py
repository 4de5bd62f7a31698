"""``crimegraph extract``: print the flows a document states, in the record of spec/flows.md."""

from __future__ import annotations

import argparse
import json

from graph.cli.base import Command, emit
from graph.tables import render_json, render_table


def run(args: argparse.Namespace) -> int:
    from graph.documents import load_document
    from graph.extract import extract_document

    loaded = load_document(args.document, subject=args.subject)
    result = extract_document(loaded.document, loaded.profile)
    if args.format == "json":
        emit(render_json(result.to_dict()))
    elif args.format == "jsonl":
        for f in result.flows:
            row = {"document": result.document, "subject": result.subject, **f.to_dict()}
            emit(json.dumps(row, ensure_ascii=False))
    else:
        rows = [
            {
                "market": f.market,
                "commodity": f.commodity,
                "origin": f.origin,
                "transit": f.transit,
                "destination": f.destination,
                "hedge": f.hedge,
                "evidence": f.evidence,
            }
            for f in result.flows
        ]
        emit(f"{result.document}: subject {result.subject or '-'}, {len(rows)} flows")
        if rows:
            emit(render_table(rows, max_width=args.width))
    return 0


def declare(p: argparse.ArgumentParser) -> None:
    p.add_argument("document", help="a text document (OC Index profile or plain report)")
    p.add_argument("--subject", help="ISO3 code or name of the country the document is about")
    p.add_argument("--format", choices=("json", "jsonl", "table"), default="json")
    p.add_argument("--width", type=int, default=60, help="cell width of --format table")


COMMAND = Command(
    "extract", "extract trafficking flows from a profile or a plain report", declare, run
)
