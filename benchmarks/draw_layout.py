"""Time the HTML flow map of the whole bundled graph in headless Chromium, and weigh the page.

Usage: python benchmarks/draw_layout.py [BUILD_DIR_OR_GRAPH] [--layout geo|force|both]
       [--scales 1 10] [--runs N] [--keep FILE.html] [--strict]

Without an argument it builds every bundled document first (``graph.build``). For each scale
k (``--scales``, default 1 and 10) the graph's flows, their evidence and their documents are
copied k times under new IRIs and file names (the same places, so the arrows stay, stated by
k times as many documents and passages). For each layout and scale it prints the page's size
and, over N loads, the median time from navigation start until the page reports its layout
done and settled (the geo map with its outlines needs no physics; the force layout runs its
stabilisation), and the time seen from outside. Targets: the geo map under 2 s, the force
layout under 3 s, both under 5 MB; with ``--strict`` the exit status is 1 when one is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rdflib import Graph, Literal, URIRef  # noqa: E402
from rdflib.namespace import RDF  # noqa: E402

from graph.build import build, bundled_documents  # noqa: E402
from graph.draw import LAYOUTS, draw, write_html  # noqa: E402
from graph.headless import chromium, open_page  # noqa: E402
from graph.load import load_graph  # noqa: E402
from graph.namespaces import CG  # noqa: E402

TARGET_SECONDS = {"geo": 2.0, "force": 3.0}
TARGET_MB = 5.0
#: What a copy of the corpus repeats: the flows and everything that hangs off them.
_COPIED_TYPES = (CG.Flow, CG.TransitStage, CG.Evidence, CG.Document)


def bundled_graph(source: Path | None) -> Graph:
    """The graph to draw: loaded from ``source``, or built from every bundled document."""
    started = time.perf_counter()
    if source is not None:
        g = load_graph(source)
        print(f"loaded {source}: {len(g)} triples in {time.perf_counter() - started:.1f} s")
        return g
    paths = bundled_documents()
    result = build(paths)
    print(
        f"built {len(paths)} bundled documents: {len(result.graph)} triples "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return result.graph


def scaled(g: Graph, k: int) -> Graph:
    """The graph with its flows, stages, evidence and documents there k times (k - 1 copies
    under new IRIs and file names ``rN/<name>``); places, regions and scores once."""
    if k == 1:
        return g
    started = time.perf_counter()
    copied = {s for t in _COPIED_TYPES for s in g.subjects(RDF.type, t)}
    out = Graph()
    for triple in g:
        out.add(triple)
    for r in range(1, k):

        def renamed(node: object, r: int = r) -> object:
            return URIRef(f"{node}-r{r}") if node in copied else node

        for s, p, o in g.triples((None, None, None)):
            if s not in copied:
                continue
            if p == CG.fileName:
                o = Literal(f"r{r}/{o}")
            out.add((renamed(s), p, renamed(o)))  # type: ignore[arg-type]
    print(f"scaled x{k}: {len(out)} triples in {time.perf_counter() - started:.1f} s")
    return out


def measure(g: Graph, layout: str, runs: int, out: Path) -> tuple[float, float, float]:
    """(page MB, median layout seconds from navigation start, median wall seconds)."""
    started = time.perf_counter()
    net = draw(g, layout=layout)
    write_html(net, out)
    arrows = sum(1 for e in net.edges if e["kind"] == "flow")
    print(
        f"[{layout}] drew {net.num_nodes()} nodes, {arrows} arrows, {net.num_edges()} edges "
        f"in {time.perf_counter() - started:.1f} s"
    )
    layout_s, wall_s = [], []
    with chromium() as browser:
        for _ in range(runs):
            page, seen = open_page(browser, out, timeout_ms=120_000)
            page.close()
            if seen.console_errors or seen.requests != [seen.url]:
                raise SystemExit(f"the page misbehaved: {seen.console_errors or seen.requests}")
            layout_s.append(seen.layout_ms / 1000)
            wall_s.append(seen.wall_s)
    return out.stat().st_size / 1e6, statistics.median(layout_s), statistics.median(wall_s)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, help="a build directory or graph file")
    parser.add_argument("--layout", choices=(*LAYOUTS, "both"), default="both")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the (last) page written here")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    g = bundled_graph(args.source)
    layouts = LAYOUTS if args.layout == "both" else (args.layout,)
    missed = False
    with tempfile.TemporaryDirectory() as tmp:
        for k in args.scales:
            gk = scaled(g, k)
            for layout in layouts:
                out = args.keep or Path(tmp) / f"flows-{layout}-x{k}.html"
                mb, layout_s, wall_s = measure(gk, layout, args.runs, out)
                target = TARGET_SECONDS[layout]
                ok = mb < TARGET_MB and layout_s < target
                missed = missed or not ok
                print(
                    f"[{layout} x{k}] page {mb:.2f} MB; settled {layout_s:.2f} s after "
                    f"navigation ({wall_s:.2f} s seen from outside), median of {args.runs}; "
                    f"target < {target:.0f} s and < {TARGET_MB:.0f} MB: "
                    f"{'met' if ok else 'MISSED'}"
                )
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    raise SystemExit(main())
