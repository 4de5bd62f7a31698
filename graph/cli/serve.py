"""``crimegraph serve``: a read-only SPARQL 1.1 Protocol endpoint over a built graph."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys

from graph.cli.base import Command, emit
from graph.errors import CrimegraphError


def run(args: argparse.Namespace) -> int:
    from graph.httpguard import NetLimits
    from graph.querypool import Limits
    from graph.serve import serve

    positive = {
        "--time-limit": args.time_limit,
        "--row-limit": args.row_limit,
        "--byte-limit": args.byte_limit,
        "--worker-memory": args.worker_memory,
        "--workers": args.workers,
        "--request-timeout": args.request_timeout,
        "--idle-timeout": args.idle_timeout,
        "--max-connections-per-client": args.max_connections_per_client,
    }
    for option, value in positive.items():
        if not value > 0:
            raise CrimegraphError(f"{option} must be positive")
    if not 0 <= args.port <= 65535:
        raise CrimegraphError(f"--port {args.port}: a port is a number from 0 to 65535")

    def announce(line: str) -> None:
        emit(line)
        if not _loopback(args.host):
            print(
                f"crimegraph: warning: listening on {args.host}, not only on this machine: "
                "anyone who can reach it may query the graph",
                file=sys.stderr,
            )
        emit("press Ctrl-C to stop")

    from graph.builddir import ReadLock

    # Held while serving: a build into this directory waits, then stops with one line, rather
    # than replacing files the workers read.
    lock = ReadLock(args.graph).acquire() if os.path.isdir(args.graph) else None
    serve(
        args.graph,
        host=args.host,
        port=args.port,
        workers=args.workers,
        limits=Limits(
            seconds=args.time_limit,
            rows=args.row_limit,
            bytes=args.byte_limit,
            memory_mb=args.worker_memory,
        ),
        net=NetLimits(
            request_seconds=args.request_timeout,
            idle_seconds=args.idle_timeout,
            per_client=args.max_connections_per_client,
        ),
        hosts=tuple(args.allow_host),
        log_level="warning" if args.quiet else "info",
        announce=announce,
    )
    if lock is not None:
        lock.release()
    return 0


def _loopback(host: str) -> bool:
    """True for an address that only this machine reaches (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def declare(p: argparse.ArgumentParser) -> None:
    p.add_argument("graph", help="a graph file (.ttl, .nt, .jsonld) or a build directory")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default 127.0.0.1: this machine only; "
        "0.0.0.0 opens it to the network)",
    )
    p.add_argument("--port", type=int, default=8000, help="the port (default 8000; 0: any free)")
    p.add_argument(
        "--workers",
        type=int,
        default=min(4, os.cpu_count() or 1),
        help="worker processes answering queries (each opens a build's store read-only, or "
        "shares the graph file loaded once) (default: the number of cores, at most 4)",
    )
    p.add_argument(
        "--time-limit",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="stop a query after this long and answer 503 (default 10)",
    )
    p.add_argument(
        "--row-limit",
        type=int,
        default=100_000,
        metavar="ROWS",
        help="cut results to this many rows, with an X-Row-Limit header (default 100000)",
    )
    p.add_argument(
        "--byte-limit",
        type=int,
        default=64 * 2**20,
        metavar="BYTES",
        help="refuse an answer larger than this with 507 (default 67108864: 64 MiB)",
    )
    p.add_argument(
        "--worker-memory",
        type=int,
        default=1024,
        metavar="MB",
        help="stop a query whose worker grows past this resident memory, and recycle the "
        "worker (default 1024)",
    )
    p.add_argument(
        "--request-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="close a connection whose request is not complete this long after it opened "
        "or after the previous answer (default 10)",
    )
    p.add_argument(
        "--idle-timeout",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="close a keep-alive connection idle this long between requests (default 5)",
    )
    p.add_argument(
        "--max-connections-per-client",
        type=int,
        default=64,
        metavar="N",
        help="open connections one address may hold; past it its oldest idle one is closed "
        "(default 64)",
    )
    p.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="answer requests whose Host header names NAME (a proxy's public name); by "
        "default only the address listened on (and localhost on loopback); '*' for any",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="do not log each request")


COMMAND = Command(
    "serve",
    "serve a built graph as a read-only SPARQL endpoint with a query page",
    declare,
    run,
)
