"""Time to first answer from a build's persistent store, against pyoxigraph itself as the anchor.

    python benchmarks/store_timings.py [--build out] [--factors 1 10 100] [--runs 5]

Two tables (run ``make run`` first, so that ``out/`` holds the bundled build):

1. **Commands** on the bundled build, wall time of the whole process (start included), median of
   ``--runs``: ``query`` (a count, a canned query, the Europe GROUP BY), ``routes``,
   ``neighbours``. Issue 14 asks for < 0.3 s each and < 1 s for the GROUP BY.
2. **Canned queries** at each factor: the median time to open the build's store read-only and
   answer, against the anchor — pyoxigraph bulk-loading the same ``graph.nt`` into memory and
   answering (load time + median query time) — printed with their ratio (below 1: the store
   answers first). The 10x and 100x graphs repeat every document, flow and passage of the
   bundled graph under new IRIs (reference data and scores once), written as a build with
   :func:`graph.diskstore.write_store`.

Nothing here asserts: it prints figures, for docs/performance.md and the README.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from graph.canned import canned_queries
from graph.diskstore import open_graph, write_store
from graph.iris import QUERY_PREFIX_IRIS
from graph.querytext import bind_values
from graph.storequery import bind_canned_on_store, run_store_query

EUROPE_GROUP_BY = """
SELECT ?market (COUNT(DISTINCT ?flow) AS ?flows) (COUNT(DISTINCT ?doc) AS ?documents) WHERE {
  ?flow cg:market ?market ; cg:destination ?place ; cg:evidence/prov:wasQuotedFrom ?doc .
  ?place cg:locatedIn* region:europe .
} GROUP BY ?market ORDER BY DESC(?flows) ?market"""

COMMANDS: list[tuple[str, list[str], float]] = [
    ("query: count triples", ["query", "{out}", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"], 0.3),
    (
        "query: flows-through KAZ",
        ["query", "{out}", "--name", "flows-through", "--param", "country=KAZ"],
        0.3,
    ),
    ("query: Europe GROUP BY", ["query", "{out}", EUROPE_GROUP_BY], 1.0),
    (
        "routes heroin AFG -> RUS",
        ["routes", "{out}", "--market", "heroin-trade", "--from", "AFG", "--to", "RUS"],
        0.3,
    ),
    ("neighbours KAZ", ["neighbours", "{out}", "KAZ"], 0.3),
]  # fmt: skip

_REPEATED = re.compile(r"(<https://w3id\.org/crimegraph/id/(?:flow|evidence|document)/[^>]*)>")


def _median(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def commands(out: Path, runs: int) -> None:
    """Table 1: each command as a user runs it."""
    exe = Path(sys.executable).parent / "crimegraph"
    print(f"\n## Commands on {out} (wall, process start included, median of {runs})\n")
    print("| command | median s | target s | met |")
    print("|---|---|---|---|")
    for label, argv, target in COMMANDS:
        args = [str(exe), *(a.replace("{out}", str(out)) for a in argv)]

        def once(args: list[str] = args) -> None:
            done = subprocess.run(args, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise SystemExit(f"{' '.join(args[:3])}: {done.stderr.strip()}")

        once()  # warm the file cache, as a user's second command would find it
        median = _median(once, runs)
        print(f"| {label} | {median:.3f} | {target:g} | {'yes' if median < target else 'NO'} |")


def replicate(source: Path, factor: int, target: Path) -> Path:
    """A build folder whose graph repeats the documents, flows and passages ``factor`` times."""
    target.mkdir(parents=True, exist_ok=True)
    with (
        (source / "graph.nt").open(encoding="utf-8") as src,
        (target / "graph.nt").open("w", encoding="utf-8") as dst,
    ):
        for line in src:
            dst.write(line)
            if _REPEATED.search(line):
                for copy in range(1, factor):
                    dst.write(_REPEATED.sub(rf"\1-c{copy}>", line))
    write_store(target)
    return target


def canned(build: Path, factor: int, runs: int) -> list[tuple[str, float, float]]:
    """Table 2 rows for one build: (query, store s, anchor s)."""
    load_started = time.perf_counter()
    anchor = ox.Store()
    anchor.bulk_load(
        path=str(build / "graph.nt"), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph()
    )
    load = time.perf_counter() - load_started
    print(f"\n## Canned queries at {factor}x ({len(anchor):,} triples; anchor load {load:.2f} s)\n")
    print("| query | store p50 s | anchor s (load + p50) | store / anchor |")
    print("|---|---|---|---|", flush=True)
    rows = []
    for query in canned_queries():
        graph = open_graph(build)
        bindings = bind_canned_on_store(graph, query, {})
        graph.close()
        text = bind_values(query.text, bindings)

        def on_store(query_text: str = text) -> None:
            opened = open_graph(build)
            try:
                run_store_query(opened, query_text)
            finally:
                opened.close()

        def on_anchor(query_text: str = text) -> None:
            list(anchor.query(query_text, prefixes=QUERY_PREFIX_IRIS))

        store_s, anchor_s = _median(on_store, runs), load + _median(on_anchor, runs)
        rows.append((query.name, store_s, anchor_s))
        print(
            f"| {query.name} | {store_s:.3f} | {anchor_s:.3f} | {store_s / anchor_s:.3f} |",
            flush=True,
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default="out", help="the bundled build (make run)")
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-commands", action="store_true", help="only the canned queries")
    args = parser.parse_args()
    out = Path(args.build)
    if not (out / "store").is_dir():
        raise SystemExit(f"{out}: no store; run `make run` first")
    if not args.no_commands:
        commands(out, args.runs)
    scratch = Path(tempfile.mkdtemp(prefix="crimegraph-bench-"))
    try:
        worst = 0.0
        for factor in args.factors:
            build = out if factor == 1 else replicate(out, factor, scratch / f"x{factor}")
            results = canned(build, factor, args.runs)
            worst = max(worst, max(s for _, s, _ in results))
            if factor != 1:
                shutil.rmtree(build)
        print(f"\nslowest canned query on the store, any factor: {worst:.3f} s")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
