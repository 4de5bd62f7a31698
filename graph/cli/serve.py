"""``crimegraph serve``: a read-only SPARQL 1.1 Protocol endpoint over a built graph."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys

from graph.cli.base import Command, emit
from graph.errors import CrimegraphError


def run(args: argparse.Namespace) -> int:
    from graph.querypool import Limits
    from graph.serve import serve

    if args.time_limit <= 0 or args.row_limit < 1:
        raise CrimegraphError("--time-limit and --row-limit must be positive")

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
        limits=Limits(seconds=args.time_limit, rows=args.row_limit),
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
        help="worker processes answering queries, each with its own copy of the graph "
        "(default: the number of cores, at most 4)",
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
    p.add_argument("-q", "--quiet", action="store_true", help="do not log each request")


COMMAND = Command(
    "serve",
    "serve a built graph as a read-only SPARQL endpoint with a query page",
    declare,
    run,
)
