"""Load test of ``crimegraph serve`` on loopback: concurrent clients running the canned queries.

Usage: python benchmarks/serve_load.py [GRAPH] [--clients 16] [--requests 1600] [--seconds 60]
                                       [--workers N] [--time-limit 5] [--only mixed,idle,...]
                                       [--skip transit-countries,...]

GRAPH is a built graph (file or build directory); without it the gold-annotated documents are
built into a temporary folder (the graph the tests use). The server runs as a child process on a
free loopback port. Phase 1: ``--clients`` threads, each with its own keep-alive connection, send
the canned queries (default parameters, in turn) until ``--requests`` answers or ``--seconds``
have passed, whichever comes first; it prints p50/p99 latency per query and overall, and the
throughput. Phase 2: one deliberately expensive query (a three-way cross product of the graph)
is sent while the clients go on with the canned queries for at most ``--time-limit`` + 5 s; it
prints the expensive query's status and time, and the latency of the others meanwhile.
Phase 3 (``mixed``, issue 11): 32 clients, one request in 20 an expensive query, the others cheap
look-ups; cheap-query p50 and p99. Phase 4 (``abandoned``): six clients send the expensive query
and hang up; how long the next cheap query takes, and how many queries the server stopped.
Phase 5 (``idle``): 200 connections that send nothing; cheap queries meanwhile, and how many of
the idle connections the server has closed after its request timeout.
Every figure is printed with the machine's load average, and each phase with how the server's
queries ended so far (``/status``). Every request loop is bounded in count and time, and all
traffic stays on 127.0.0.1.
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
#: Point look-ups: what a page or a notebook asks most of the time.
CHEAP = {
    "label": "SELECT ?n WHERE { ?c cg:iso3 'KAZ' ; rdfs:label ?n }",
    "ask": "ASK { ?f a cg:Flow }",
    "flows-of": "SELECT (COUNT(?f) AS ?n) WHERE { ?f cg:origin ?c . ?c cg:iso3 'AFG' }",
    "borders": "SELECT ?b WHERE { ?c cg:iso3 'KAZ' ; cg:borders ?b }",
}


@dataclass
class Tally:
    """Latencies (seconds) by query name and HTTP status counts, shared by the client threads."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    failed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
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
            self.failed[name] += status != 200

    def all(self) -> list[float]:
        return [x for values in self.latencies.values() for x in values]


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of ``values`` (NaN for none)."""
    if not values:
        return float("nan")
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


def ended(base: str) -> str:
    """How the server's queries have ended so far, by outcome (``/status``)."""
    counts = httpx.get(base + "status", timeout=30).json()["ended"]
    return "queries ended so far: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v)


def load() -> str:
    """The machine's load average (1, 5 and 15 minutes), to print beside each figure: the
    machine's cores are shared, and a figure means little without it."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f}/{five:.1f}/{fifteen:.1f}"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def report(tally: Tally, elapsed: float) -> None:
    print("| query | requests | not 200 | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|")
    for name, values in sorted(tally.latencies.items()):
        p50, p99 = ms(percentile(values, 50)), ms(percentile(values, 99))
        print(f"| {name} | {len(values)} | {tally.failed[name]} | {p50} | {p99} |")
    every = tally.all()
    p50, p99 = ms(percentile(every, 50)), ms(percentile(every, 99))
    print(f"| **all** | {len(every)} | {sum(tally.failed.values())} | {p50} | {p99} |")
    print(
        f"\n{len(every)} answers in {elapsed:.1f} s: {len(every) / elapsed:.1f} requests/s; "
        f"statuses {dict(tally.statuses)}; {load()}"
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
    parser.add_argument(
        "--only", default="canned,limit,mixed,abandoned,idle", help="phases to run, by name"
    )
    parser.add_argument(
        "--skip", default="", help="canned queries to leave out, by name (comma-separated)"
    )
    parser.add_argument(
        "--every", type=int, default=20, help="mixed: one request in N is expensive (0: none)"
    )
    args = parser.parse_args(argv)
    phases = set(args.only.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        graph = Path(args.graph) if args.graph else gold_graph(Path(tmp))
        skipped = set(filter(None, args.skip.split(",")))
        queries = {k: v for k, v in canned_texts().items() if k not in skipped}
        options = ("--workers", str(args.workers), "--time-limit", str(args.time_limit))
        with serving(graph, *options) as base:
            url = base + "sparql"
            print(
                f"graph {graph.name}; {args.workers} workers on {os.cpu_count()} cores; "
                f"{args.clients} clients; {len(queries)} canned queries; {load()}\n"
            )
            run_clients(url, queries, args.clients, args.clients * 2, 30)  # warm the caches
            if "canned" in phases:
                tally, elapsed = run_clients(
                    url, queries, args.clients, args.requests, args.seconds
                )
                report(tally, elapsed)
                print(ended(base))
            if "limit" in phases:
                expensive_alone(url, queries, args)
            if "mixed" in phases:
                mixed(url, every=args.every)
                print(ended(base))
            if "abandoned" in phases:
                abandoned(url, base)
            if "idle" in phases:
                idle(url)
    return 0


def expensive_alone(url: str, queries: dict[str, str], args: argparse.Namespace) -> None:
    """One expensive query while the clients go on with the canned queries."""
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
        f"p99 {ms(percentile(others.all(), 99))} ms), statuses {dict(others.statuses)}; {load()}"
    )


def mixed(
    url: str, clients: int = 32, budget: int = 4000, seconds: float = 60.0, every: int = 20
) -> None:
    """``clients`` clients; each sends the expensive query as one request in 20, cheap
    look-ups otherwise (issue 11: cheap p50 < 200 ms, p99 < 2 s)."""
    tally = Tally()
    deadline = time.monotonic() + seconds
    names = list(CHEAP)

    def one(k: int) -> None:
        with httpx.Client(timeout=120) as http:
            i = k
            while time.monotonic() < deadline and tally.take_ticket(budget):
                i += 1
                expensive = every > 0 and i % every == 0
                name = "expensive" if expensive else names[i % len(names)]
                started = time.perf_counter()
                try:
                    status = http.post(url, data={"query": EXPENSIVE if expensive else CHEAP[name]})
                    code = status.status_code
                except httpx.HTTPError:
                    code = 0
                tally.record(name, time.perf_counter() - started, code)

    threads = [threading.Thread(target=one, args=(k,)) for k in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    cheap = [x for name, values in tally.latencies.items() if name != "expensive" for x in values]
    slow = tally.latencies.get("expensive", [])
    print(
        f"\n{clients} clients, 1 request in {every} expensive "
        f"({len(slow)} expensive, {len(cheap)} cheap):"
    )
    print(
        f"cheap p50 {ms(percentile(cheap, 50))} ms, p99 {ms(percentile(cheap, 99))} ms; "
        f"expensive p50 {ms(percentile(slow, 50))} ms; "
        f"{len(tally.all()) / elapsed:.1f} requests/s; "
        f"statuses {dict(tally.statuses)}; {load()}"
    )


def abandoned(url: str, base: str, count: int = 6) -> None:
    """``count`` expensive queries whose clients hang up; then one cheap query."""
    import socket
    from urllib.parse import urlencode, urlsplit

    before = httpx.get(base + "status").json()["ended"].get("cancelled", 0)
    where = urlsplit(url)
    body = urlencode({"query": EXPENSIVE}).encode()
    head = (
        f"POST /sparql HTTP/1.1\r\nHost: {where.netloc}\r\nContent-Length: {len(body)}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
    ).encode()
    sockets = []
    for _ in range(count):
        sock = socket.create_connection((where.hostname, where.port))
        sock.sendall(head + body)
        sockets.append(sock)
    time.sleep(0.3)
    for sock in sockets:
        sock.close()
    started = time.perf_counter()
    status = httpx.post(url, data={"query": CHEAP["label"]}, timeout=120).status_code
    took = time.perf_counter() - started
    time.sleep(1.0)
    after = httpx.get(base + "status").json()["ended"].get("cancelled", 0)
    print(
        f"\n{count} expensive queries abandoned by their clients: the next cheap query took "
        f"{ms(took)} ms (status {status}); the server stopped {after - before} of them; {load()}"
    )


def idle(url: str, count: int = 200, requests: int = 100) -> None:
    """``count`` connections that send nothing, then cheap queries on fresh connections."""
    import socket
    from urllib.parse import urlsplit

    where = urlsplit(url)
    sockets = [socket.create_connection((where.hostname, where.port)) for _ in range(count)]
    latencies, statuses = [], defaultdict(int)
    for i in range(requests):
        started = time.perf_counter()
        try:
            with httpx.Client(timeout=30) as http:
                code = http.post(url, data={"query": list(CHEAP.values())[i % len(CHEAP)]})
                statuses[code.status_code] += 1
        except httpx.HTTPError:
            statuses[0] += 1
        latencies.append(time.perf_counter() - started)
    time.sleep(12)  # past the server's default request timeout (10 s)
    still = 0
    for sock in sockets:
        sock.settimeout(0.05)
        try:
            still += sock.recv(1) != b""
        except TimeoutError:
            still += 1
        except OSError:
            pass
        sock.close()
    print(
        f"\n{count} idle connections: {requests} cheap queries meanwhile, p50 "
        f"{ms(percentile(latencies, 50))} ms, p99 {ms(percentile(latencies, 99))} ms, "
        f"statuses {dict(statuses)}; {count - still} of the idle connections closed by the "
        f"server 12 s later; {load()}"
    )


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
