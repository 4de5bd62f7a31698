"""``crimegraph import-scores``: every country's Index scores from the workbook, into a graph.

``-o DIR`` writes a graph of the scores alone (with the countries and regions they belong to);
``--into BUILD`` adds them to a graph already built (a build directory or one graph file) and
rewrites it. ``crimegraph build --bundled`` (``make run``) imports the bundled workbook itself.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from graph import rdf
from graph.cli.base import Command, emit
from graph.errors import CrimegraphError


def run(args: argparse.Namespace) -> int:
    from graph.build import write_outputs
    from graph.places import load_gazetteer
    from graph.store import add_triples, new_graph
    from graph.vocab import vocabulary_graph
    from graph.workbook import add_sheets, read_scores

    if bool(args.output) == bool(args.into):
        raise CrimegraphError("give either -o DIR (a new graph) or --into BUILD (an existing one)")
    sheets = [sheet for path in args.workbooks for sheet in read_scores(path)]
    triples: set[rdf.Triple] = set()
    scores = add_sheets(triples, sheets)
    if args.output:
        g = new_graph(args.store)
        rdf.add_reference(triples, load_gazetteer())
        add_triples(g, triples)
        add_triples(g, vocabulary_graph())
        written = list(write_outputs(g, args.output).values())
    else:
        written = _add_into(Path(args.into), triples, args.store)
    editions = ", ".join(str(e) for e in sorted({s.edition for s in sheets}))
    countries = len({row.iso3 for s in sheets for row in s.countries})
    emit(f"imported {scores} scores of {countries} countries (editions {editions})")
    for path in written:
        emit(f"  {path}")
    return 0


def _add_into(target: Path, triples: set[rdf.Triple], store: str) -> list[Path]:
    """Add ``triples`` to a built graph and rewrite it: every output of a build directory, or
    the one graph file named."""
    from graph.build import write_outputs
    from graph.fileio import atomic_write
    from graph.load import FORMATS, graph_file
    from graph.store import add_triples, load, serialize

    g = load(target, store)
    add_triples(g, triples)
    if target.is_dir():
        return list(write_outputs(g, target).values())
    path = graph_file(target)
    with atomic_write(path) as fh:
        fh.write(serialize(g, FORMATS[path.suffix.lower()]))
    return [path]


def declare(p: argparse.ArgumentParser) -> None:
    from graph.store import DEFAULT_STORE, STORES

    p.add_argument(
        "workbooks",
        nargs="+",
        metavar="WORKBOOK",
        help="global_oc_index.xlsx (every edition's sheet) or a per-edition CSV export",
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="DIR", help="write a graph of the scores here")
    where.add_argument(
        "--into",
        metavar="BUILD",
        help="add the scores to this build directory (or graph file) and rewrite it",
    )
    p.add_argument(
        "--store",
        choices=STORES,
        default=DEFAULT_STORE,
        help=f"where the graph is held while it is written (default: {DEFAULT_STORE})",
    )


COMMAND = Command(
    "import-scores",
    "import every country's Organized Crime Index scores from the Index's workbook",
    declare,
    run,
)
