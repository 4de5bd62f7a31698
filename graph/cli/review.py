"""``crimegraph review``: a document's review page, to accept, reject, correct or add flows."""

from __future__ import annotations

import argparse
import sys

from graph.cli.base import Command, emit


def run(args: argparse.Namespace) -> int:
    from graph.review import write_review

    page = write_review(args.document, args.output, corrections=args.corrections)
    emit(f"{page.path}: {len(page.flows)} flows of {page.document.name} to review")
    if page.previous is not None:
        emit(f"  with the decisions of {page.previous.path} ({page.previous.reviewer})")
    for notice in page.notices:
        print(f"crimegraph: {notice}", file=sys.stderr)
    return 0


def declare(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "document",
        help="the document to review; its flows are read as build reads them (same subject), so "
        "that the corrections match the flows of the next build",
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE.html", help="the page to write")
    p.add_argument(
        "--corrections",
        metavar="PATH",
        help="a corrections file, or a folder of them, whose decisions on this document the page "
        "starts from",
    )


COMMAND = Command(
    "review",
    "write a page to accept, reject, correct or add a document's flows (saves corrections)",
    declare,
    run,
)
