"""``crimegraph query``: SPARQL over a built graph, ad hoc or one of the canned queries."""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from graph.cli import remote_options
from graph.cli.base import Command, emit
from graph.errors import CrimegraphError
from graph.tables import render_csv, render_json, render_table

if TYPE_CHECKING:
    from rdflib.term import Identifier


def _params(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CrimegraphError(f"--param wants key=value, got {pair!r}")
        out[key.strip()] = value.strip()
    return out


def _listing(fmt: str) -> str:
    from graph.canned import canned_queries

    queries = canned_queries()
    if fmt == "json":
        return render_json(
            [
                {
                    "name": q.name,
                    "answers": q.summary,
                    "description": q.description,
                    "parameters": [vars(p) for p in q.parameters],
                    "file": str(q.path),
                }
                for q in queries
            ]
        )
    rows = [
        {
            "name": q.name,
            "parameters": " ".join(f"{p.name}={p.default}" for p in q.parameters),
            "answers": q.summary,
        }
        for q in queries
    ]
    if fmt == "csv":
        return render_csv(rows, ["name", "parameters", "answers"])
    blocks = []
    for row in rows:
        head = f"{row['name']}  ({row['parameters']})" if row["parameters"] else row["name"]
        body = textwrap.fill(row["answers"], 96, initial_indent="    ", subsequent_indent="    ")
        blocks.append(f"{head}\n{body}")
    return "\n".join(blocks)


def _render(result: Any, fmt: str, wide: bool = False) -> str:
    """A result of either path (:class:`graph.query.QueryResult` or
    :class:`graph.storequery.StoreResult`) in ``fmt``; IRIs in tables as prefixed names or
    ``<IRI>``, written so that they paste back into a query."""
    from graph.iris import shorten

    if result.kind == "UPDATE":
        return f"update applied: {result.changed:+d} triples"
    if result.kind == "ASK":
        answer = "true" if result.boolean else "false"
        if fmt == "json":
            return render_json({"boolean": result.boolean})
        return f"boolean\n{answer}" if fmt == "csv" else answer
    if result.kind in ("CONSTRUCT", "DESCRIBE"):
        return _render_graph(result, fmt)
    if fmt == "json":
        return render_json(result.rows)
    if fmt == "csv":
        return render_csv(result.rows, result.columns)
    if not result.rows:
        return render_table([], result.columns) + "\n(no rows)"
    return render_table(
        [{k: shorten(v) for k, v in r.items()} for r in result.rows],
        result.columns,
        max_width=1_000_000 if wide else 80,
    )


def _render_graph(result: Any, fmt: str) -> str:
    """The triples of a CONSTRUCT or DESCRIBE result: Turtle, CSV of N-Triples terms, JSON-LD."""
    if getattr(result, "graph", None) is None:  # the store's answer: pyoxigraph triples
        from graph.storequery import triples_text

        if fmt == "csv":
            lines = triples_text(result.triples, "nt").splitlines()
            rows = [
                dict(zip(("subject", "predicate", "object"), _nt_terms(x), strict=True))
                for x in lines
            ]
            return render_csv(
                sorted(rows, key=lambda r: tuple(r.values())), ["subject", "predicate", "object"]
            )
        return triples_text(result.triples, "json-ld" if fmt == "json" else "turtle")
    from graph.namespaces import bind_prefixes

    bind_prefixes(result.graph)
    if fmt == "json":
        return str(result.graph.serialize(format="json-ld"))
    if fmt == "csv":
        rows = [
            {"subject": s.n3(), "predicate": p.n3(), "object": o.n3()} for s, p, o in result.graph
        ]
        return render_csv(
            sorted(rows, key=lambda r: tuple(r.values())), ["subject", "predicate", "object"]
        )
    return str(result.graph.serialize(format="turtle"))


def _nt_terms(line: str) -> tuple[str, str, str]:
    """Subject, predicate and object of one N-Triples line."""
    subject, predicate, rest = line.split(" ", 2)
    return subject, predicate, rest.rstrip().removesuffix(".").rstrip()


def _write(graph: Any, path: str) -> None:
    from pathlib import Path

    from graph.fileio import atomic_write
    from graph.load import FORMATS

    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise CrimegraphError(f"{path}: unknown graph format (known: {', '.join(sorted(FORMATS))})")
    with atomic_write(path) as fh:
        fh.write(graph.serialize(format=fmt))


def run(args: argparse.Namespace) -> int:
    from graph.canned import MAX_QUERY_BYTES, canned, query_file

    if args.list:
        emit(_listing(args.format))
        return 0
    if args.endpoint:  # no graph file: the first word is the query
        if args.query is not None:
            raise CrimegraphError("--endpoint replaces the graph file: give the query only")
        args.graph, args.query = None, args.graph
        if args.output:
            raise CrimegraphError("--output writes a local graph; it cannot go with --endpoint")
    elif args.graph is None:
        raise CrimegraphError("give a graph file or build directory (or --list)")
    given = [x for x in (args.query, args.name) if x]
    if len(given) != 1:
        raise CrimegraphError("give exactly one of: a SPARQL query, @FILE.rq, or --name NAME")
    if args.time_limit < 0:
        raise CrimegraphError("--time-limit must be 0 (none) or a positive number of seconds")
    params = _params(args.param)
    if args.name:
        query = canned(args.name)
    elif args.query.startswith("@"):
        query = query_file(args.query[1:])
    else:
        if len(args.query.encode("utf-8", "surrogatepass")) > MAX_QUERY_BYTES:
            raise CrimegraphError(
                f"the query is larger than the {MAX_QUERY_BYTES // 1024} KB limit"
            )
        query = None
    if args.output and not args.allow_update:
        raise CrimegraphError(
            "--output writes the graph an update changed; it needs --allow-update"
        )
    from graph.watchdog import time_limit

    with time_limit(args.time_limit, "the query"):
        if args.endpoint or args.allow_update:
            result, g = _run_rdflib(args, query, params)
        else:
            result, g = _run_store(args, query, params), None
    emit(_render(result, args.format, args.wide))
    if result.kind == "UPDATE" and args.output:
        _write(g, args.output)
    return 0


def _run_store(args: argparse.Namespace, query: Any, params: dict[str, str]) -> Any:
    """The query on Oxigraph: the build's persistent store, or the graph file in memory."""
    from graph.diskstore import open_graph
    from graph.storequery import run_store_canned, run_store_query, term_on_store

    graph = open_graph(args.graph)
    try:
        if query is not None and (args.name or query.parameters):
            return run_store_canned(graph, query, params, allow_network=args.allow_network)
        text = query.text if query is not None else args.query
        bindings = {k: term_on_store(v) for k, v in params.items()}
        return run_store_query(graph, text, bindings, allow_network=args.allow_network)
    finally:
        graph.close()


def _run_rdflib(args: argparse.Namespace, query: Any, params: dict[str, str]) -> tuple[Any, Any]:
    """The query on rdflib (updates, which change a loaded copy) or on a remote endpoint."""
    from graph.pagestart import page_params
    from graph.query import QueryResult, bind_canned, run_query

    canned_params = query is not None and bool(args.name or query.parameters)
    if canned_params:
        bind_canned(query, params)  # a wrong parameter is refused before the graph is read
    allow = {"allow_update": args.allow_update, "allow_network": args.allow_network}
    g = None
    run: Callable[[str, Mapping[str, str | Identifier]], QueryResult]
    if args.endpoint:
        from graph.cli.remote_options import endpoint
        from graph.remote import run_remote

        target = endpoint(args, args.endpoint)

        def run(text: str, bindings: Mapping[str, str | Identifier]) -> QueryResult:
            return run_remote(target, text, bindings, **allow)
    else:
        from graph.load import load_graph

        g = load_graph(args.graph)

        def run(text: str, bindings: Mapping[str, str | Identifier]) -> QueryResult:
            return run_query(g, text, bindings, **allow)

    # A canned query, or a file whose header declares parameters, gets them typed as declared;
    # an ad-hoc query reads each value as an RDF term.
    bindings: Mapping[str, str | Identifier]
    if query is None:
        text, bindings = args.query, params
    elif canned_params:
        params = page_params(query, params, lambda q, p: run(q.text, bind_canned(q, p)).rows)
        text, bindings = query.text, bind_canned(query, params)
    else:
        text, bindings = query.text, params
    return run(text, bindings), g


def declare(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "graph", nargs="?", help="a graph file (.ttl, .nt, .jsonld) or a build directory"
    )
    p.add_argument("query", nargs="?", help="a SPARQL query, or @FILE.rq to read one from a file")
    p.add_argument("--name", metavar="NAME", help="run a canned query (see --list)")
    p.add_argument(
        "--list", action="store_true", help="list the canned queries and their parameters"
    )
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="bind the variable ?KEY (a canned query's parameter, typed as its header declares)",
    )
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument(
        "--wide", action="store_true", help="table format: show every cell in full, never cut"
    )
    p.add_argument(
        "--time-limit",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="stop the query after this long, with one line and exit status 3 (default 60; "
        "0: no limit)",
    )
    p.add_argument(
        "--allow-update",
        action="store_true",
        help="run INSERT/DELETE/LOAD/CLEAR requests (on the loaded copy; see --output)",
    )
    p.add_argument(
        "--allow-network",
        action="store_true",
        help="allow SERVICE, LOAD and FROM, which fetch data from the web",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write the graph after an allowed update")
    p.add_argument(
        "--endpoint",
        metavar="URL",
        help="run on this SPARQL endpoint (crimegraph serve, Virtuoso...) instead of a graph file",
    )
    remote_options.declare(p, 300.0, "the query at --endpoint")


COMMAND = Command(
    "query",
    "run SPARQL (SELECT, ASK, CONSTRUCT) or a canned query over a built graph",
    declare,
    run,
)
