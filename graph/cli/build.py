"""``crimegraph build``: documents → records → RDF graph, written in every output format."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.cli.base import Command, emit
from graph.errors import CrimegraphError

if TYPE_CHECKING:
    from graph.docnames import NamedInput


def run(args: argparse.Namespace) -> int:
    from graph.build import bundled_documents
    from graph.docnames import named_inputs

    inputs = named_inputs(
        [*args.documents, *(map(str, bundled_documents()) if args.bundled else [])]
    )
    with tempfile.TemporaryDirectory(prefix="crimegraph-stdin-") as spool:
        return _build(args, inputs, spool)


def _build(args: argparse.Namespace, inputs: list[NamedInput], spool: str) -> int:
    """The build of ``run``; standard input, if among the documents, is copied into ``spool``."""
    from graph.build import build, text_copies, write_outputs
    from graph.cache import default_cache_dir
    from graph.ingest import STDIN, spool_stdin
    from graph.progress import Progress
    from graph.workbook import bundled_scores

    paths: list[Path] = [
        spool_stdin(spool) if str(doc.path) == STDIN else doc.path for doc in inputs
    ]
    scores: list[str] = list(args.scores)
    if args.bundled:
        scores += [str(p) for p in bundled_scores()]
    if not paths and not args.flows and not scores:
        raise CrimegraphError("nothing to build: give documents, --flows files or --bundled")
    _check_output_dir(args.output)
    cache = None if args.no_cache else (args.cache or default_cache_dir())
    bar = Progress(len(paths), "reading documents")

    def report(err: Any) -> None:
        bar.write(f"crimegraph: skipped {err.message}")

    try:
        result = build(
            paths,
            flow_files=args.flows,
            extract=not args.no_extract,
            on_error=report,
            scores=scores,
            store=args.store,
            jobs=args.jobs,
            cache_dir=cache,
            on_document=bar.advance,
            names=[doc.name for doc in inputs],
            document_time_limit=args.document_time_limit or None,
            corrections=args.corrections,
        )
    finally:
        bar.close()
    if not result.documents:
        raise CrimegraphError("no document could be read; nothing written")
    written = write_outputs(
        result.graph,
        args.output,
        documents=[d.name for d in result.documents],
        wait=args.wait,
        texts=text_copies(result.documents),
    )
    counts = result.counts()
    emit(
        "built {documents} documents: {countries} countries, {flows} flows ({evidence} passages), "
        "{legs} legs, {observations} observations, {triples} triples".format(**counts)
    )
    if result.extracted or result.cached:
        emit(f"  flows extracted from {result.extracted} documents, {result.cached} from the cache")
    for name, path in written.items():
        emit(f"  {name:<14} {path}")
    stale = _report_corrections(result)
    if result.errors:
        emit(f"{len(result.errors)} document(s) could not be read or extracted (listed above)")
    return 1 if result.errors or stale else 0


def _report_corrections(result: Any) -> int:
    """Print what the corrections did and each one that did not apply as written (stderr);
    return how many were stale."""
    import sys

    if not result.corrected and not result.notices:
        return 0
    n = result.corrected
    emit(
        f"  corrections: {n.get('accept', 0)} accepted, {n.get('reject', 0)} rejected, "
        f"{n.get('edit', 0)} corrected, {n.get('add', 0)} added"
    )
    for notice in result.notices:
        print(f"crimegraph: {notice}", file=sys.stderr)
    stale = sum(1 for notice in result.notices if notice.kind == "stale")
    if stale:
        emit(f"{stale} correction(s) no longer apply: their words are gone (listed above)")
    return stale


def _check_output_dir(path: str) -> None:
    from graph.fileio import ensure_writable_dir

    ensure_writable_dir(path)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("a number of seconds, 0 for no limit")
    return value


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of processes: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("at least 1")
    return value


def declare(p: argparse.ArgumentParser) -> None:
    from graph.store import DEFAULT_STORE, STORES

    p.add_argument(
        "documents",
        nargs="*",
        help="documents (text, PDF, HTML, Word), folders of them, globs, or - for standard input",
    )
    p.add_argument(
        "--flows",
        action="append",
        default=[],
        metavar="FILE.json",
        help="a flow file (spec/flows.md format) to use instead of extraction for its document",
    )
    p.add_argument(
        "--scores",
        action="append",
        default=[],
        metavar="WORKBOOK",
        help="an Organized Crime Index score workbook (.xlsx) or CSV export to import",
    )
    p.add_argument(
        "--bundled",
        action="store_true",
        help="add every document bundled in data/ and the bundled score workbook",
    )
    p.add_argument(
        "--corrections",
        metavar="DIR",
        help="a folder of corrections files (crimegraph review; docs/corrections.md) to apply "
        "to the flows of the documents they belong to",
    )
    p.add_argument("--no-extract", action="store_true", help="take flows only from --flows files")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="output directory")
    p.add_argument(
        "--store",
        choices=STORES,
        default=DEFAULT_STORE,
        help=f"where the graph is built (default: {DEFAULT_STORE})",
    )
    p.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="extract with N processes (default: 1)",
    )
    p.add_argument(
        "--document-time-limit",
        type=_seconds,
        default=120.0,
        metavar="SECONDS",
        help="stop reading, or extracting, a document after this long, report it and go on "
        "(default: 120; 0: no limit)",
    )
    p.add_argument(
        "--cache",
        metavar="DIR",
        help="keep extracted flows here and re-use them for unchanged documents "
        "(default: $CRIMEGRAPH_CACHE or ~/.cache/crimegraph)",
    )
    p.add_argument("--no-cache", action="store_true", help="extract every document afresh")
    p.add_argument(
        "--wait",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="how long to wait for readers of the old build (serve, query) before giving up "
        "(default 10)",
    )


COMMAND = Command(
    "build", "build the RDF graph (and its NetworkX projection) from documents", declare, run
)
