"""How the build and the queries grow with the corpus, on each store.

Usage: python benchmarks/corpus_scale.py [--factors 1 10 100] [--stores oxigraph memory]
       [--jobs N] [--repeat R] [--timeout S] [--write-up-to F] [--markdown FILE]

For each factor k the bundled corpus (data/documents + data/corpus, 1,128 documents) is
replicated k times under new names (hard links in a temporary folder: ``r007__cia_factbook__
factbook_json_2022-11-10__kz_kazakhstan.txt``), and for each store a fresh process builds it
with the bundled score workbook, without the extraction cache, and prints: documents/s, build
seconds, write seconds (every output format), triples, peak RSS, and the p50 of each canned
query (graph/queries/*.rq, default parameters) and of two queries of this benchmark. Each query
runs up to R times in a forked copy of the process, stopped at ``--timeout`` seconds (the runs
done by then count; ``>S`` when none finished). Writing the outputs is timed up to factor F.
The last lines give the growth ratios from one factor to the next and the Oxigraph/rdflib time
ratio per query.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: Queries of this benchmark, beside the canned ones: the issue's two-hop join, and flows
#: "according to the 2022 sources" (documents of the 2022 edition).
OWN_QUERIES = {
    "two-hop-join": """
        PREFIX cg: <https://w3id.org/crimegraph/ontology#>
        SELECT (COUNT(*) AS ?n) WHERE {
          ?a cg:destination ?place ; cg:commodity ?c .
          ?b cg:origin ?place ; cg:commodity ?c .
          FILTER (?a != ?b)
        }""",
    "flows-of-2022-sources": """
        PREFIX cg: <https://w3id.org/crimegraph/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?flow (COUNT(DISTINCT ?doc) AS ?documents) WHERE {
          ?flow cg:evidence/prov:wasQuotedFrom ?doc .
          ?doc cg:edition 2022 .
        } GROUP BY ?flow""",
}


# --- the corpus ---------------------------------------------------------------------------------


def replicate(factor: int, into: Path) -> list[Path]:
    """Hard-link ``factor`` copies of every bundled document into ``into`` under new names."""
    from graph.build import bundled_documents
    from graph.documents import document_name

    originals = bundled_documents()
    out: list[Path] = []
    for k in range(factor):
        for src in originals:
            flat = document_name(src).replace("/", "__")
            dst = into / f"r{k:03d}__{flat}"
            if not dst.exists():
                try:
                    os.link(src, dst)
                except OSError:
                    shutil.copyfile(src, dst)
            out.append(dst)
    return out


# --- one measurement (a child process) -----------------------------------------------------------


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _time_query(g: Any, name: str, text: str | None, repeat: int, conn: Any) -> None:
    from graph.query import run_canned, run_query

    rows = 0
    for _ in range(repeat):
        started = time.perf_counter()
        result = run_canned(g, name) if text is None else run_query(g, text)
        conn.send(time.perf_counter() - started)
        rows = len(result.rows)
    conn.send(("rows", rows))
    conn.close()


def timed_query(g: Any, name: str, text: str | None, repeat: int, timeout: float) -> dict[str, Any]:
    """p50 of up to ``repeat`` runs of a query in a forked process, stopped at ``timeout``
    seconds: the runs done by then count; None when not even one was."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    proc = context.Process(target=_time_query, args=(g, name, text, repeat, child))
    proc.start()
    child.close()
    deadline = time.monotonic() + timeout
    times: list[float] = []
    rows = None
    while rows is None and parent.poll(max(0.0, deadline - time.monotonic())):
        message = parent.recv()
        if isinstance(message, tuple):
            rows = message[1]
        else:
            times.append(message)
    if rows is None:
        proc.kill()
    proc.join()
    return {"p50": statistics.median(times) if times else None, "rows": rows, "runs": len(times)}


def measure(
    folder: Path, store: str, jobs: int, repeat: int, timeout: float, write: bool
) -> dict[str, Any]:
    """Build the documents of ``folder`` on ``store``, write the outputs, time the queries."""
    from graph.build import build, write_outputs
    from graph.query import canned_queries
    from graph.workbook import bundled_scores

    paths = sorted(folder.glob("*.txt"))
    started = time.perf_counter()
    result = build(paths, scores=bundled_scores(), store=store, jobs=jobs, cache_dir=None)
    build_s = time.perf_counter() - started
    peak_build = _peak_mb(resource.RUSAGE_SELF)
    workers = _peak_mb(resource.RUSAGE_CHILDREN)
    write_s = None
    if write:
        out = Path(tempfile.mkdtemp(prefix="cg-bench-out-"))
        started = time.perf_counter()
        write_outputs(result.graph, out)
        write_s = time.perf_counter() - started
        shutil.rmtree(out, ignore_errors=True)
    counts = result.counts()
    peak = _peak_mb(resource.RUSAGE_SELF)
    queries: dict[str, Any] = {}
    for q in canned_queries():
        queries[q.name] = timed_query(result.graph, q.name, None, repeat, timeout)
    for name, text in OWN_QUERIES.items():
        queries[name] = timed_query(result.graph, name, text, repeat, timeout)
    return {
        "store": store,
        "documents": len(paths),
        "errors": len(result.errors),
        "build_s": build_s,
        "docs_per_s": len(paths) / build_s,
        "write_s": write_s,
        "triples": counts["triples"],
        "flows": counts["flows"],
        "evidence": counts["evidence"],
        "peak_build_mb": peak_build,
        "peak_mb": peak,
        "worker_peak_mb": workers,
        "queries": queries,
    }


# --- the table ------------------------------------------------------------------------------------


def _fmt_s(value: float | None, timeout: float) -> str:
    if value is None:
        return f">{timeout:.0f}"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def _fmt_write(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def table(rows: list[dict[str, Any]], timeout: float) -> str:
    """The results as a Markdown table, then growth ratios and Oxigraph/rdflib per query."""
    names = list(rows[0]["queries"]) if rows else []
    head = ["factor", "store", "documents", "docs/s", "build s", "write s", "triples",
            "peak RSS MB"] + [f"{n} p50 s" for n in names]  # fmt: skip
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [f"{r['factor']}x", r["store"], str(r["documents"]), f"{r['docs_per_s']:.0f}",
                 f"{r['build_s']:.1f}", _fmt_write(r["write_s"]), str(r["triples"]),
                 f"{r['peak_mb']:.0f}"]  # fmt: skip
        cells += [_fmt_s(r["queries"][n]["p50"], timeout) for n in names]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "Growth from one factor to the next (linear growth: the ratio of the corpus sizes):",
    ]
    by = {(r["factor"], r["store"]): r for r in rows}
    factors = sorted({r["factor"] for r in rows})
    for store in sorted({r["store"] for r in rows}):
        for lo, hi in itertools.pairwise(factors):
            a, b = by.get((lo, store)), by.get((hi, store))
            if a is None or b is None:
                continue
            scale = hi / lo
            lines.append(
                f"- {store} {hi}x/{lo}x: build time x{b['build_s'] / a['build_s']:.1f}, "
                f"triples x{b['triples'] / a['triples']:.1f}, peak RSS "
                f"x{b['peak_mb'] / a['peak_mb']:.1f} (corpus x{scale:.0f})"
            )
    lines += ["", "Oxigraph/rdflib time per query (below 1: Oxigraph is faster):"]
    for factor in factors:
        ox, mem = by.get((factor, "oxigraph")), by.get((factor, "memory"))
        if ox is None or mem is None:
            continue
        parts = []
        for n in names:
            a, b = ox["queries"][n]["p50"], mem["queries"][n]["p50"]
            parts.append(f"{n} {a / b:.2f}" if a and b else f"{n} n/a")
        head = f"- {factor}x: build {ox['build_s'] / mem['build_s']:.2f}"
        if ox["write_s"] and mem["write_s"]:
            head += f", write {ox['write_s'] / mem['write_s']:.2f}"
        lines.append(head + "; " + ", ".join(parts))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--stores", nargs="+", default=["oxigraph", "memory"])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per query")
    parser.add_argument(
        "--write-up-to", type=int, default=10, help="time writing the outputs up to this factor"
    )
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        write = args.write_up_to > 0
        row = measure(args.child, args.store, args.jobs, args.repeat, args.timeout, write)
        print(json.dumps(row))
        return 0
    rows: list[dict[str, Any]] = []
    for factor in args.factors:
        with tempfile.TemporaryDirectory(prefix=f"cg-corpus-{factor}x-") as tmp:
            replicate(factor, Path(tmp))
            for store in args.stores:
                cmd = [sys.executable, __file__, "--child", tmp, "--store", store,
                       "--jobs", str(args.jobs), "--repeat", str(args.repeat),
                       "--timeout", str(args.timeout),
                       "--write-up-to", str(int(factor <= args.write_up_to))]  # fmt: skip
                done = subprocess.run(cmd, capture_output=True, text=True, check=False)
                if done.returncode != 0:
                    print(f"{factor}x {store}: failed\n{done.stderr[-2000:]}", file=sys.stderr)
                    continue
                row = json.loads(done.stdout.strip().splitlines()[-1])
                row["factor"] = factor
                rows.append(row)
                print(json.dumps(row), flush=True)
    text = table(rows, args.timeout)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
