"""``crimegraph extract``: print the flows a document states, in the record of spec/flows.md;
with ``--explain``, the words behind each role of each flow."""

from __future__ import annotations

import argparse
import json
from typing import Any

from graph.cli.base import Command, emit
from graph.tables import render_json, render_table


def run(args: argparse.Namespace) -> int:
    from graph.documents import load_document
    from graph.extract import read_document

    loaded = load_document(args.document, subject=args.subject)
    readings = read_document(loaded.document, loaded.profile)
    doc = loaded.document
    if args.format == "json":
        payload: dict[str, Any] = {"document": doc.name, "subject": doc.subject}
        payload["flows"] = [_record(r, args.explain) for r in readings]
        emit(render_json(payload))
    elif args.format == "jsonl":
        for r in readings:
            emit(
                json.dumps(
                    {"document": doc.name, "subject": doc.subject, **_record(r, args.explain)},
                    ensure_ascii=False,
                )
            )
    elif args.explain:
        emit(f"{doc.name}: subject {doc.subject or '-'}, {len(readings)} flows")
        for r in readings:
            f = r.flow
            emit("")
            emit(f"{f.market}  {_chain(f)}" + (f"  [{f.hedge}]" if f.hedge else ""))
            emit(f'  "{f.evidence}"')
            for line in r.why:
                emit(f"  {line}")
    else:
        rows = [
            {
                "market": r.flow.market,
                "commodity": r.flow.commodity,
                "origin": r.flow.origin,
                "transit": r.flow.transit,
                "destination": r.flow.destination,
                "hedge": r.flow.hedge,
                "evidence": r.flow.evidence,
            }
            for r in readings
        ]
        emit(f"{doc.name}: subject {doc.subject or '-'}, {len(rows)} flows")
        if rows:
            emit(render_table(rows, max_width=args.width))
    return 0


def _record(reading: Any, explain: bool) -> dict[str, Any]:
    """A flow as the spec's record, with ``why`` (the words behind each role) when asked."""
    out: dict[str, Any] = reading.flow.to_dict()
    if explain:
        out["why"] = list(reading.why)
    return out


def _chain(flow: Any) -> str:
    """ "AFG → KAZ → RUS", alternatives joined by "/"."""
    stages = ["/".join(s) for s in flow.stages()]
    return " → ".join(stages) if stages else "(no place)"


def declare(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "document",
        help="an OC Index profile or a plain report: text, PDF, HTML or Word (.docx); "
        "- for standard input",
    )
    p.add_argument("--subject", help="ISO3 code or name of the country the document is about")
    p.add_argument("--format", choices=("json", "jsonl", "table"), default="json")
    p.add_argument("--width", type=int, default=60, help="cell width of --format table")
    p.add_argument(
        "--explain",
        action="store_true",
        help="show, for each flow, which words gave each role (with --format table: one block "
        "per flow; with json/jsonl: a 'why' list per flow)",
    )


COMMAND = Command(
    "extract", "extract trafficking flows from a profile or a plain report", declare, run
)
