"""``crimegraph draw``: the flow map as one interactive HTML page that works offline, or as a
picture (PNG, SVG) or GeoJSON, by the output file's extension."""

from __future__ import annotations

import argparse
from pathlib import Path

from graph.cli.base import Command, emit
from graph.errors import CrimegraphError


def run(args: argparse.Namespace) -> int:
    from graph.draw import draw
    from graph.mapexport import FORMATS, write_map
    from graph.storegraph import reader_graph

    if Path(args.output).suffix.lower() not in FORMATS:  # before the slow part
        known = ", ".join(FORMATS)
        raise CrimegraphError(f"{args.output}: unknown output format (known: {known})")
    g = reader_graph(args.graph)  # a build directory is read from its store
    net = draw(
        g,
        markets=args.market,
        countries=args.country,
        layout=args.layout,
        title=args.title,
        whole_chains=args.whole_chains,
    )
    path, note = write_map(net, args.output)
    arrows = sum(1 for e in net.edges if e["kind"] == "flow")
    size = path.stat().st_size / 1e6
    emit(
        f"{path}: {net.num_nodes()} nodes, {arrows} arrows, {args.layout} layout, {size:.1f} MB"
        f" ({note})"
    )
    if arrows == 0:
        emit("no flow matches the chosen markets and countries: the page is empty")
    return 0


def declare(p: argparse.ArgumentParser) -> None:
    p.add_argument("graph", help="a graph file (.ttl, .nt, .jsonld) or a build directory")
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="FILE.html: the interactive page; FILE.png or FILE.svg: a picture of it (needs"
        " Playwright and Chromium); FILE.geojson: a LineString per arrow",
    )
    p.add_argument(
        "--market",
        action="append",
        default=[],
        metavar="M",
        help="draw only this market's flows (slug or label, e.g. heroin-trade); repeatable",
    )
    p.add_argument(
        "--country",
        action="append",
        default=[],
        metavar="C",
        help="draw only the legs that start or end at this place, of the flows with it as an"
        " origin, transit or destination (ISO3 code, region slug or name); repeatable",
    )
    p.add_argument(
        "--whole-chains",
        action="store_true",
        help="with --country: draw every leg of those flows, not only the legs touching it",
    )
    p.add_argument(
        "--layout",
        choices=("geo", "force"),
        default="geo",
        help="geo: countries at their longitude/latitude (default); force: force-directed",
    )
    p.add_argument("--title", help="the page's title (default: says what is drawn)")


COMMAND = Command(
    "draw",
    "draw the flow map as one interactive HTML page that works offline (or PNG, SVG, GeoJSON)",
    declare,
    run,
)
