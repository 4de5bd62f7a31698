"""Load test of ``crimegraph serve`` on loopback: concurrent clients running the canned queries.

Usage: python benchmarks/serve_load.py [GRAPH] [--clients 16] [--requests 1600] [--seconds 60]
                                       [--workers N] [--time-limit 5]

GRAPH is a built graph (file or build directory); without it the gold-annotated documents are
built into a temporary folder (the graph the tests use). The server runs as a child process on a
free loopback port. Phase 1: ``--clients`` threads, each with its own keep-alive connection, send
the canned queries (default parameters, in turn) until ``--requests`` answers or ``--seconds``
have passed, whichever comes first; it prints p50/p99 latency per query and overall, and the
throughput. Phase 2: one deliberately expensive query (a three-way cross product of the graph)
is sent while the clients go on with the canned queries for at most ``--time-limit`` + 5 s; it
prints the expensive query's status and time, and the latency of the others meanwhile.
Every request loop is bounded in count and time, and all traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@dataclass
class Tally:
    """Latencies (seconds) by query name and HTTP status counts, shared by the client threads."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: int = 0

    def take_ticket(self, budget: int) -> bool:
        """Claim one of ``budget`` requests; False once all are claimed."""
        with self.lock:
            if self.sent >= budget:
                return False
            self.sent += 1
            return True

    def record(self, name: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies[name].append(seconds)
            self.statuses[status] += 1

    def all(self) -> list[float]:
        return [x for values in self.latencies.values() for x in values]


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def gold_graph(into: Path) -> Path:
    """The gold-annotated documents and the 2023 profile, built as the tests build them."""
    from graph.build import build
    from graph.documents import DATA_DIR

    gold = sorted(p for p in (DATA_DIR / "gold").glob("*.json") if ".profile." not in p.name)
    docs = []
    for flows in gold:
        name = json.loads(flows.read_text())["document"]
        roots = (DATA_DIR / "documents", DATA_DIR / "corpus")
        docs.append(next(root / name for root in roots if (root / name).is_file()))
    docs.append(DATA_DIR / "documents" / "kazakhstan-ocindex-2023-layout.txt")
    path = into / "gold.nt"
    build(docs, flow_files=gold).graph.serialize(path, format="nt", encoding="utf-8")
    return path


def canned_texts() -> dict[str, str]:
    """Each canned query with its default parameters bound, as a remote client sends it."""
    from graph.query import bind_canned, canned_queries
    from graph.querytext import remote_text

    return {q.name: remote_text(q.text, bind_canned(q, {})) for q in canned_queries()}


def client(url: str, queries: dict[str, str], tally: Tally, budget: int, deadline: float) -> None:
    """One client: canned queries in turn on one keep-alive connection, within the bounds."""
    names = list(queries)
    with httpx.Client(timeout=120) as http:
        i = threading.get_ident()  # a different first query for each client
        while time.monotonic() < deadline and tally.take_ticket(budget):
            name = names[i % len(names)]
            i += 1
            started = time.perf_counter()
            response = http.post(url, data={"query": queries[name]})
            tally.record(name, time.perf_counter() - started, response.status_code)


def run_clients(
    url: str, queries: dict[str, str], clients: int, budget: int, seconds: float
) -> tuple[Tally, float]:
    tally = Tally()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client, args=(url, queries, tally, budget, deadline))
        for _ in range(clients)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tally, time.perf_counter() - started


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def report(tally: Tally, elapsed: float) -> None:
    print("| query | requests | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|")
    for name, values in sorted(tally.latencies.items()):
        p50, p99 = ms(percentile(values, 50)), ms(percentile(values, 99))
        print(f"| {name} | {len(values)} | {p50} | {p99} |")
    every = tally.all()
    print(f"| **all** | {len(every)} | {ms(percentile(every, 50))} | {ms(percentile(every, 99))} |")
    print(
        f"\n{len(every)} answers in {elapsed:.1f} s: {len(every) / elapsed:.1f} requests/s; "
        f"statuses {dict(tally.statuses)}"
    )


def main(argv: list[str]) -> int:
    from graph.serve import serving

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("graph", nargs="?", help="a built graph (default: the gold graph)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=1600)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1))
    parser.add_argument("--time-limit", type=float, default=5.0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        graph = Path(args.graph) if args.graph else gold_graph(Path(tmp))
        queries = canned_texts()
        options = ("--workers", str(args.workers), "--time-limit", str(args.time_limit))
        with serving(graph, *options) as base:
            url = base + "sparql"
            print(
                f"graph {graph.name}; {args.workers} workers on {os.cpu_count()} cores; "
                f"{args.clients} clients; {len(queries)} canned queries\n"
            )
            run_clients(url, queries, args.clients, args.clients * 2, 30)  # warm the caches
            tally, elapsed = run_clients(url, queries, args.clients, args.requests, args.seconds)
            report(tally, elapsed)

            print(f"\nexpensive query against a time limit of {args.time_limit:g} s:")
            outcome: dict[str, float | int] = {}

            def expensive() -> None:
                started = time.perf_counter()
                with httpx.Client(timeout=args.time_limit + 60) as http:
                    response = http.post(url, data={"query": EXPENSIVE})
                outcome.update(status=response.status_code, seconds=time.perf_counter() - started)

            slow = threading.Thread(target=expensive)
            slow.start()
            time.sleep(0.2)
            window = args.time_limit + 5
            others, elapsed = run_clients(url, queries, args.clients, args.requests, window)
            slow.join()
            print(
                f"status {outcome['status']} after {outcome['seconds']:.2f} s; meanwhile "
                f"{len(others.all())} canned queries answered in {elapsed:.1f} s "
                f"(p50 {ms(percentile(others.all(), 50))} ms, "
                f"p99 {ms(percentile(others.all(), 99))} ms), statuses {dict(others.statuses)}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
