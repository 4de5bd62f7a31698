"""``crimegraph review``: a document's review page, to accept, reject, correct or add flows."""

from __future__ import annotations

import argparse
import sys

from graph.cli.base import Command, emit
from graph.errors import CrimegraphError


def run(args: argparse.Namespace) -> int:
    if args.serve:
        return _serve(args)
    if not args.output:
        raise CrimegraphError("give the page to write with -o FILE.html (or use --serve)")
    from graph.review import write_review

    page = write_review(args.document, args.output, corrections=args.corrections)
    emit(f"{page.path}: {len(page.flows)} flows of {page.document.name} to review")
    if page.previous is not None:
        emit(f"  with the decisions of {page.previous.path} ({page.previous.reviewer})")
    for notice in page.notices:
        print(f"crimegraph: {notice}", file=sys.stderr)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from graph.reviewserve import serve_review

    if not args.corrections:
        raise CrimegraphError("--serve needs --corrections DIR: the folder it saves into")
    site, running = serve_review(args.document, args.corrections, port=args.port)
    emit(f"{len(site.flows)} flows of {site.document.name} to review at {running.url}")
    emit(f"  Save corrections writes {site.target}; stop with Ctrl-C")
    sys.stdout.flush()
    try:
        running.server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        running.server.server_close()
    return 0


def declare(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "document",
        help="the document to review; its flows are read as build reads them (same subject), so "
        "that the corrections match the flows of the next build",
    )
    p.add_argument("-o", "--output", metavar="FILE.html", help="the page to write")
    p.add_argument(
        "--corrections",
        metavar="PATH",
        help="a corrections file, or a folder of them, whose decisions on this document the page "
        "starts from; with --serve, the folder the page saves into",
    )
    p.add_argument(
        "--serve",
        action="store_true",
        help="serve the page on 127.0.0.1 instead of writing it: Save corrections writes the file "
        "into the --corrections folder (no download to move)",
    )
    p.add_argument(
        "--port", type=int, default=0, help="the port to serve on with --serve (default: any free)"
    )


COMMAND = Command(
    "review",
    "write a page to accept, reject, correct or add a document's flows (saves corrections)",
    declare,
    run,
)
