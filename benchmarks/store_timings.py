"""Time to first answer from a build's persistent store, against pyoxigraph itself as the anchor.

    python benchmarks/store_timings.py [--build out] [--factors 1 10 100] [--runs 5]
        [--scratch DIR] [--queries NAME ...] [--time-limit S] [--no-anchor] [--no-commands]

Two tables (run ``make run`` first, so that ``out/`` holds the bundled build):

1. **Commands** on the bundled build, wall time of the whole process (start included), median of
   ``--runs``: ``query`` (a count, a canned query, the Europe GROUP BY), ``routes``,
   ``neighbours``. Issue 14 asks for < 0.3 s each and < 1 s for the GROUP BY.
2. **Canned queries** at each factor: the median time to open the build's store read-only and
   answer, against the anchor — pyoxigraph bulk-loading the same ``graph.nt`` into memory and
   answering (load time + median query time) — printed with their ratio (below 1: the store
   answers first). The 10x and 100x graphs repeat every document, flow and passage of the
   bundled graph under new IRIs (reference data and scores once), with the summaries of the
   scaled graph computed as ``build`` computes them (:mod:`graph.summary`), written as a build
   with :func:`graph.diskstore.write_store`.

Building the 100x graph takes minutes and gigabytes: ``--scratch DIR`` keeps the scaled builds
in ``DIR/x10``, ``DIR/x100`` and reuses any that is already a sound build there. Each query is
timed in a forked child stopped after ``--time-limit`` seconds (printed as ``> S``), so one slow
query does not hold up the table.

Nothing here asserts: it prints figures, for docs/performance.md and the README.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pyoxigraph as ox

from graph.canned import QUERIES_DIR, canned_queries
from graph.diskstore import open_graph, store_problem, write_store
from graph.iris import CGI, QUERY_PREFIX_IRIS
from graph.querytext import bind_values
from graph.storequery import bind_canned_on_store, run_store_query
from graph.summary import summary_triples

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

#: The lines of the bundled graph's summaries (graph/summary.py), left out of a scaled graph.
_SUMMARY = f"<{CGI}summary/"

_REPEATED = re.compile(r"(<https://w3id\.org/crimegraph/id/(?:flow|evidence|document)/[^>]*)>")


def _median(run: Callable[[], object], runs: int) -> float:
    """The median wall time of ``runs`` calls of ``run``."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def commands(out: Path, runs: int) -> None:
    """Table 1: each command as a user runs it."""
    exe = Path(sys.executable).parent / "crimegraph"
    # The package of this checkout, not the one the virtual environment installed.
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's second command finds bytecode cached
    print(f"\n## Commands on {out} (wall, process start included, median of {runs})\n")
    print("| command | median s | target s | met | load average |")
    print("|---|---|---|---|---|")
    for label, argv, target in COMMANDS:
        args = [str(exe), *(a.replace("{out}", str(out)) for a in argv)]

        def once(args: list[str] = args) -> None:
            done = subprocess.run(args, capture_output=True, text=True, check=False, env=env)
            if done.returncode != 0:
                raise SystemExit(f"{' '.join(args[:3])}: {done.stderr.strip()}")

        once()  # warm the file cache, as a user's second command would find it
        median = _median(once, runs)
        print(
            f"| {label} | {median:.3f} | {target:g} | {'yes' if median < target else 'NO'} "
            f"| {os.getloadavg()[0]:.1f} |",
            flush=True,
        )


def compact(build: Path) -> Path:
    """``build`` with its store compacted into one sorted run per index (``Store.optimize``).

    ``write_store`` leaves the bulk load's files as they are, which makes every lookup read
    several of them; ``--compact`` measures what compacting them would give.
    """
    folder = build / "store"
    store = ox.Store(str(folder))
    store.optimize()
    store.flush()
    del store
    record = json.loads((build / "build.json").read_text(encoding="utf-8"))
    record["store"] = {
        p.name: p.stat().st_size
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name not in ("LOG", "LOCK")
    }
    (build / "build.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return build


def replicate(source: Path, factor: int, target: Path) -> Path:
    """A build folder whose graph repeats the documents, flows and passages ``factor`` times.

    A ``target`` that already holds a sound build (a store that opens, as ``build.json`` says
    it was written) is taken as it is: the scaled graph depends only on ``source`` and
    ``factor``.
    """
    if (target / "build.json").is_file() and store_problem(target) is None:
        print(f"\nreusing {target}", flush=True)
        return target
    target.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(target / "store", ignore_errors=True)
    with (
        (source / "graph.nt").open(encoding="utf-8") as src,
        (target / "graph.nt").open("w", encoding="utf-8") as dst,
    ):
        for line in src:
            if line.startswith(_SUMMARY):
                continue  # the summaries of the bundled graph: computed again below
            dst.write(line)
            if _REPEATED.search(line):
                for copy in range(1, factor):
                    dst.write(_REPEATED.sub(rf"\1-c{copy}>", line))
    summarise(target)
    return target


def summarise(build: Path) -> None:
    """Add to ``build``'s ``graph.nt`` the summaries of its graph, computed by
    :func:`graph.summary.summary_triples` as ``crimegraph build`` computes them, and write its
    store from the whole."""
    write_store(build)
    store = ox.Store(str(build / "store"))
    summaries = list(summary_triples(store))
    del store
    with (build / "graph.nt").open("ab") as dst:
        ox.serialize(summaries, dst, ox.RdfFormat.N_TRIPLES)
    shutil.rmtree(build / "store")
    write_store(build)


def _within(limit: float, measure: Callable[[], tuple[float, int]]) -> tuple[float, int] | None:
    """``measure()`` run in a forked child, or None when it takes longer than ``limit`` s."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        send.send(measure())

    process = context.Process(target=child, daemon=True)
    process.start()
    send.close()
    try:
        if not receive.poll(limit):
            return None
        answer: tuple[float, int] = receive.recv()
        return answer
    except EOFError:
        raise SystemExit("a timed query failed in its child process") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join()


def _seconds(value: float | None, limit: float) -> str:
    return f"> {limit:g}" if value is None else f"{value:.3f}"


def canned(
    build: Path,
    label: str,
    runs: int,
    *,
    names: Sequence[str] = (),
    directory: Path = QUERIES_DIR,
    limit: float = 60.0,
    anchored: bool = True,
) -> list[tuple[str, float | None, float | None]]:
    """Table 2 rows for one build: (query, store s, anchor s), None past ``limit``."""
    anchor = ox.Store()
    load = 0.0
    if anchored:
        started = time.perf_counter()
        anchor.bulk_load(
            path=str(build / "graph.nt"), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph()
        )
        load = time.perf_counter() - started
    opened = open_graph(build)
    triples = len(opened.store)
    opened.close()
    print(
        f"\n## Canned queries at {label} ({triples:,} triples; anchor load {load:.2f} s; "
        f"load average {os.getloadavg()[0]:.1f}; median of {runs}; limit {limit:g} s)\n"
    )
    print("| query | rows | store p50 s | anchor s (load + p50) | store / anchor |")
    print("|---|---|---|---|---|", flush=True)
    rows: list[tuple[str, float | None, float | None]] = []
    for query in canned_queries(directory):
        if names and query.name not in names:
            continue
        graph = open_graph(build)
        bindings = bind_canned_on_store(graph, query, {})
        graph.close()
        text = bind_values(query.text, bindings)

        def on_store(query_text: str = text) -> tuple[float, int]:
            counts: list[int] = []

            def once() -> None:
                opened = open_graph(build)
                try:
                    counts.append(len(run_store_query(opened, query_text).rows))
                finally:
                    opened.close()

            return _median(once, runs), counts[-1]

        def on_anchor(query_text: str = text) -> tuple[float, int]:
            counts: list[int] = []

            def once() -> None:
                answer = anchor.query(query_text, prefixes=QUERY_PREFIX_IRIS)
                counts.append(
                    sum(1 for _ in answer) if isinstance(answer, ox.QuerySolutions) else 1
                )

            return _median(once, runs), counts[-1]

        store = _within(limit, on_store)
        anchor_answer = _within(limit, on_anchor) if anchored else None
        store_s = store[0] if store else None
        anchor_s = load + anchor_answer[0] if anchor_answer else None
        ratio = f"{store_s / anchor_s:.3f}" if store_s is not None and anchor_s else "—"
        anchor_text = _seconds(anchor_s, limit) if anchored else "—"
        count = f"{store[1]:,}" if store else "?"
        print(
            f"| {query.name} | {count} | {_seconds(store_s, limit)} | {anchor_text} | {ratio} |",
            flush=True,
        )
        rows.append((query.name, store_s, anchor_s))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default="out", help="the bundled build (make run)")
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-commands", action="store_true", help="only the canned queries")
    parser.add_argument("--scratch", help="keep the scaled builds here and reuse them")
    parser.add_argument("--queries", nargs="+", default=[], help="only these canned queries")
    parser.add_argument("--queries-dir", type=Path, default=QUERIES_DIR, help="other .rq files")
    parser.add_argument("--time-limit", type=float, default=60.0, help="per query, seconds")
    parser.add_argument("--no-anchor", action="store_true", help="skip pyoxigraph's bulk load")
    parser.add_argument(
        "--compact", action="store_true", help="also time each scaled store compacted (x10c, ...)"
    )
    args = parser.parse_args()
    out = Path(args.build)
    if not (out / "store").is_dir():
        raise SystemExit(f"{out}: no store; run `make run` first")
    if not args.no_commands:
        commands(out, args.runs)
    keep = args.scratch is not None
    scratch = Path(args.scratch) if keep else Path(tempfile.mkdtemp(prefix="crimegraph-bench-"))
    try:
        worst: float | None = 0.0
        for factor in args.factors:
            build = out if factor == 1 else replicate(out, factor, scratch / f"x{factor}")
            builds = [(f"{factor}x", build)]
            if args.compact and factor != 1:
                packed = scratch / f"x{factor}c"
                if not (packed / "build.json").is_file() or store_problem(packed) is not None:
                    shutil.rmtree(packed, ignore_errors=True)
                    shutil.copytree(build, packed)
                    compact(packed)
                builds.append((f"{factor}x compacted", packed))
            for label, folder in builds:
                results = canned(
                    folder,
                    label,
                    args.runs,
                    names=args.queries,
                    directory=args.queries_dir,
                    limit=args.time_limit,
                    anchored=not args.no_anchor,
                )
                for _, seconds, _ in results:
                    worst = None if worst is None or seconds is None else max(worst, seconds)
            if factor != 1 and not keep:
                shutil.rmtree(build)
        print(
            f"\nslowest canned query on the store, any factor: {_seconds(worst, args.time_limit)} s"
        )
    finally:
        if not keep:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
