"""``crimegraph build``: documents → records → RDF graph, written in every output format."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from graph.cli.base import Command, emit
from graph.errors import CrimegraphError


def run(args: argparse.Namespace) -> int:
    from graph.build import build, bundled_documents, write_outputs
    from graph.documents import expand_paths

    paths: list[Path] = expand_paths(args.documents)
    if args.bundled:
        paths += bundled_documents()
    if not paths and not args.flows:
        raise CrimegraphError("nothing to build: give documents, --flows files or --bundled")
    _check_output_dir(args.output)

    def report(err: Any) -> None:
        print(f"crimegraph: skipped {err.message}", file=sys.stderr)

    result = build(paths, flow_files=args.flows, extract=not args.no_extract, on_error=report)
    if not result.documents:
        raise CrimegraphError("no document could be read; nothing written")
    written = write_outputs(result.graph, args.output)
    counts = result.counts()
    emit(
        "built {documents} documents: {countries} countries, {flows} flows, {legs} legs, "
        "{observations} observations, {triples} triples".format(**counts)
    )
    for name, path in written.items():
        emit(f"  {name:<14} {path}")
    if result.errors:
        emit(f"{len(result.errors)} document(s) could not be read (listed above)")
        return 1
    return 0


def _check_output_dir(path: str) -> None:
    from graph.fileio import ensure_writable_dir

    ensure_writable_dir(path)


def declare(p: argparse.ArgumentParser) -> None:
    p.add_argument("documents", nargs="*", help="documents, folders of .txt files, or globs")
    p.add_argument(
        "--flows",
        action="append",
        default=[],
        metavar="FILE.json",
        help="a flow file (spec/flows.md format) to use instead of extraction for its document",
    )
    p.add_argument("--bundled", action="store_true", help="add every document bundled in data/")
    p.add_argument("--no-extract", action="store_true", help="take flows only from --flows files")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="output directory")


COMMAND = Command(
    "build", "build the RDF graph (and its NetworkX projection) from documents", declare, run
)
