"""``crimegraph push``: load a built graph into a triple store, replacing one named graph."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from graph.cli import remote_options
from graph.cli.base import Command, emit
from graph.errors import CrimegraphError

#: Where the password is read from when ``--user`` is given without ``--password``.
PASSWORD_VARIABLE = "CRIMEGRAPH_PASSWORD"


def _password(args: argparse.Namespace) -> str | None:
    if args.password is not None or not args.user:
        return str(args.password) if args.password is not None else None
    if PASSWORD_VARIABLE in os.environ:
        return os.environ[PASSWORD_VARIABLE]
    if sys.stdin.isatty():
        return getpass.getpass(f"password of {args.user} at {args.endpoint}: ")
    raise CrimegraphError(f"--user needs --password (or {PASSWORD_VARIABLE} in the environment)")


def run(args: argparse.Namespace) -> int:
    from graph.cli.remote_options import endpoint as remote_endpoint
    from graph.load import load_graph
    from graph.progress import Progress
    from graph.push import count_triples, push

    endpoint = remote_endpoint(args, args.endpoint, args.user, _password(args))
    g = load_graph(args.graph)
    bar = Progress(len(g), "pushing triples")
    try:
        result = push(
            g,
            endpoint,
            args.graph_iri,
            protocol=args.protocol,
            batch_size=args.batch_size,
            on_batch=bar.advance,
        )
    finally:
        bar.close()
    emit(
        f"pushed {result.triples:,} triples in {result.batches} batches to <{result.graph}> "
        f"at {args.endpoint} ({result.seconds:.1f} s)"
    )
    if args.protocol == "update":
        try:
            held = count_triples(endpoint, result.graph)
        except CrimegraphError as exc:
            emit(f"  (could not count the triples there: {exc})")
        else:
            emit(f"  the store now holds {held:,} triples in <{result.graph}>")
    return 0


def declare(p: argparse.ArgumentParser) -> None:
    from graph.push import DEFAULT_BATCH, DEFAULT_GRAPH, PROTOCOLS

    p.add_argument("graph", help="a graph file (.ttl, .nt, .jsonld) or a build directory")
    p.add_argument(
        "--endpoint",
        required=True,
        metavar="URL",
        help="a SPARQL 1.1 Update endpoint (Virtuoso: http://HOST:8890/sparql-auth) "
        "or, with --protocol gsp, a Graph Store Protocol endpoint",
    )
    p.add_argument(
        "--graph",
        dest="graph_iri",
        default=DEFAULT_GRAPH,
        metavar="IRI",
        help=f"the named graph to replace (default {DEFAULT_GRAPH})",
    )
    p.add_argument("--user", help="user name; Basic or Digest, as the server asks")
    p.add_argument(
        "--password", help=f"password (else {PASSWORD_VARIABLE}, else asked on a terminal)"
    )
    p.add_argument(
        "--protocol",
        choices=PROTOCOLS,
        default="update",
        help="update: INSERT DATA into a staging graph, then MOVE it in place (default); "
        "gsp: one HTTP PUT of the whole graph (all or nothing only if the store applies a "
        "PUT as a whole; Virtuoso 7.2 does not)",
    )
    p.add_argument(
        "--batch-size",
        type=int,
        default=None,
        metavar="N",
        help=f"triples per request (update: default {DEFAULT_BATCH}; gsp: one request unless "
        "given, and then PUT and POSTs, which are not all or nothing)",
    )
    remote_options.declare(p, 3600.0, "the whole push")


COMMAND = Command(
    "push",
    "load a built graph into a triple store over SPARQL Update or the Graph Store Protocol",
    declare,
    run,
)
