"""A SPARQL 1.1 Protocol endpoint over a built graph: Starlette on uvicorn, queries answered by
a :class:`~graph.querypool.QueryPool` with Oxigraph (a build directory's persistent store, read
only, or a graph file loaded into memory).

``/sparql`` takes GET and POST queries (form-encoded or ``application/sparql-query``) and
answers in the format the ``Accept`` header (or a ``format`` parameter) asks for. It is
read-only: an update gets 403, as does SERVICE; malformed SPARQL gets 400; a query past the time
limit gets 503 while the other workers go on answering, an answer past the byte limit 507, and a
query whose client hangs up is stopped. ``/`` is a page with a query box and the canned queries;
``/queries`` lists those and ``/queries/NAME?param=value`` gives one with its parameters bound,
ready to send to any endpoint; ``/status`` counts the workers and how queries ended.
Misbehaving clients (idle connections, slow readers, foreign ``Host`` headers) are kept in
bounds by :mod:`graph.httpguard`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import secrets
import select
import socket
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qsl

import uvicorn
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from graph.controlchars import printable
from graph.errors import CrimegraphError
from graph.httpguard import (
    DEFAULT_NET_LIMITS,
    HostCheck,
    NetLimits,
    SpooledResponse,
    allowed_hosts,
    guarded_protocol,
)
from graph.load import graph_file
from graph.namespaces import PREFIXES
from graph.query import bind_canned, canned, canned_queries
from graph.querypool import DEFAULT_LIMITS, Answer, Limits, QueryPool
from graph.querytext import remote_text

TEMPLATES = Path(__file__).resolve().parent / "templates"

#: The longest query text accepted, in bytes.
MAX_QUERY_BYTES = 64 * 1024
#: Parameters of the protocol that name a dataset: this endpoint has one graph only.
_DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri")


@dataclass(frozen=True)
class Site:
    """What the page says about the served graph."""

    source: str
    triples: int
    limits: Limits
    net: NetLimits = DEFAULT_NET_LIMITS


class Refused(Exception):
    """A request answered with an error before any query runs."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _error(status: int, message: str) -> Response:
    return PlainTextResponse(printable(message) + "\n", status)


async def _body(request: Request) -> bytes:
    """The request body, read no further than :data:`MAX_QUERY_BYTES`; Refused beyond."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_QUERY_BYTES:
            raise Refused(413, f"the query is longer than {MAX_QUERY_BYTES} bytes")
    return body


@dataclass(frozen=True)
class QueryRequest:
    """What a protocol request asks: the query, the result format it names and the time limit
    it sets (seconds), if any."""

    text: str
    format: str | None = None
    seconds: float | None = None


def _seconds(value: str | None) -> float | None:
    """The ``timeout`` parameter: positive seconds (decimals allowed); Refused otherwise."""
    if value is None or not value.strip():
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise Refused(400, f"timeout must be a positive number of seconds, not {value!r}")
    return seconds


async def query_request(request: Request) -> QueryRequest:
    """The query a protocol request carries, with the format and time limit it names; raises
    Refused for an update or a bad request."""
    params = dict(request.query_params)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if request.method == "POST":
        body = (await _body(request)).decode("utf-8", errors="replace")
        if content_type == "application/x-www-form-urlencoded":
            params.update(parse_qsl(body, keep_blank_values=True))
        elif content_type == "application/sparql-query":
            params["query"] = body
        elif content_type == "application/sparql-update":
            params["update"] = body
        elif content_type or body:
            raise Refused(
                415, "send the query form-encoded (query=...) or as application/sparql-query"
            )
    if "update" in params:
        raise Refused(403, "updates are refused: this endpoint is read-only")
    for name in _DATASET_PARAMETERS:
        if name in params:
            raise Refused(400, f"{name} is not supported: this endpoint serves one graph")
    text = params.get("query")
    if not text or not text.strip():
        raise Refused(400, "no query: pass it as the 'query' parameter")
    if len(text.encode("utf-8")) > MAX_QUERY_BYTES:
        raise Refused(413, f"the query is longer than {MAX_QUERY_BYTES} bytes")
    return QueryRequest(text, params.get("format") or None, _seconds(params.get("timeout")))


def _response(answer: Answer, limits: Limits, net: NetLimits) -> Response | SpooledResponse:
    """The HTTP response of an answer: its spool file streamed, or its body."""
    headers = dict(answer.headers)
    if answer.truncated:
        headers["X-Row-Limit"] = str(limits.rows)
    if answer.path is not None:
        return SpooledResponse(
            answer.path, answer.size, answer.media_type, headers, net.send_seconds
        )
    return Response(answer.body, answer.status, headers=headers, media_type=answer.media_type)


@functools.cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True)


@functools.cache
def _script() -> Markup:
    text = (TEMPLATES / "serve.js").read_text(encoding="utf-8")
    if "</script" in text.lower():
        raise CrimegraphError("serve.js cannot be inlined (it contains a closing tag)")
    return Markup(text)


def _catalogue() -> list[dict[str, Any]]:
    """The canned queries as the page and ``/queries`` show them."""
    return [
        {
            "name": q.name,
            "summary": q.summary,
            "description": q.description,
            "parameters": [
                {"name": p.name, "kind": p.kind, "default": p.default, "description": p.description}
                for p in q.parameters
            ],
        }
        for q in canned_queries()
    ]


def page(site: Site) -> str:
    """The HTML page at ``/``."""
    data = {
        "endpoint": "sparql",
        "queries": "queries/",
        "canned": _catalogue(),
        "prefixes": {prefix: str(ns) for prefix, ns in PREFIXES.items()},
    }
    return (
        _environment()
        .get_template("serve.html")
        .render(
            title="crimegraph SPARQL endpoint",
            nonce=secrets.token_urlsafe(18),
            source=site.source,
            triples=f"{site.triples:,}",
            seconds=f"{site.limits.seconds:g}",
            rows=f"{site.limits.rows:,}",
            page=data,
            script=_script(),
        )
    )


def create_app(pool: QueryPool, site: Site) -> Starlette:
    """The web application: the page, the endpoint and the canned queries; it stops the pool
    when the server shuts down."""

    async def index(request: Request) -> Response:
        html = await run_in_threadpool(page, site)
        return HTMLResponse(html)

    async def sparql(request: Request) -> Response | SpooledResponse:
        try:
            asked = await query_request(request)
        except Refused as exc:
            return _error(exc.status, str(exc))
        answer = await pool.answer(
            asked.text,
            request.headers.get("accept"),
            asked.format,
            gone=request.is_disconnected,
            seconds=asked.seconds,
        )
        return _response(answer, site.limits, site.net)

    async def queries(request: Request) -> Response:
        return JSONResponse(await run_in_threadpool(_catalogue))

    async def status(request: Request) -> Response:
        return JSONResponse(pool.status())

    async def one_query(request: Request) -> Response:
        try:
            query = await run_in_threadpool(canned, request.path_params["name"])
        except CrimegraphError as exc:
            return _error(404, str(exc))
        try:
            bindings = await run_in_threadpool(bind_canned, query, dict(request.query_params))
            text = remote_text(query.text, bindings)
        except CrimegraphError as exc:
            return _error(400, str(exc))
        return PlainTextResponse(text, media_type="application/sparql-query")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Stop the workers here: after a SIGTERM uvicorn re-raises the signal, which ends the
        # process before any code after ``Server.run`` could.
        yield
        await run_in_threadpool(pool.close)

    return Starlette(
        lifespan=lifespan,
        routes=[
            Route("/", index),
            Route("/sparql", sparql, methods=["GET", "POST"]),
            Route("/queries", queries),
            Route("/status", status),
            Route("/queries/{name}", one_query),
        ],
    )


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (0: a free port); CrimegraphError if taken
    or not a port."""
    if not 0 <= port <= 65535:
        raise CrimegraphError(f"cannot listen on port {port}: a port is a number from 0 to 65535")
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        # proto IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on accepted sockets that say
        # so, and without it each keep-alive request waits ~40 ms on a delayed ACK
        # (Kludex/uvicorn#3149).
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except (OSError, OverflowError, UnicodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise CrimegraphError(f"cannot listen on {host}:{port} ({reason})") from exc
    return sock


def url_of(sock: socket.socket) -> str:
    """The http URL a listening socket answers at."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve(
    source: str | os.PathLike[str],
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 2,
    limits: Limits = DEFAULT_LIMITS,
    net: NetLimits = DEFAULT_NET_LIMITS,
    hosts: tuple[str, ...] = (),
    spare: int | None = None,
    log_level: str = "info",
    announce: Callable[[str], None] = print,
) -> None:
    """Serve the graph of ``source`` (a graph file or build directory) until interrupted.

    ``hosts`` are more names the ``Host`` header may give (``*``: any); ``spare`` how many
    long queries may run beside ``workers`` (see :mod:`graph.workerpool`). ``announce`` gets
    one line with the URL once the graph is loaded and the socket listens.
    """
    path = Path(source) if Path(source).is_dir() else graph_file(source)
    sock = bind_socket(host, port)
    with sock, QueryPool(path, workers=workers, limits=limits, spare=spare) as pool:
        triples = pool.start()
        app = create_app(pool, Site(str(source), triples, limits, net))
        config = uvicorn.Config(
            HostCheck(app, allowed_hosts(host, hosts)),
            log_level=log_level,
            http=guarded_protocol(net),
            limit_concurrency=net.total,
            timeout_keep_alive=max(1, round(net.idle_seconds)),
            timeout_graceful_shutdown=5,
            lifespan="on",
        )
        url = url_of(sock)
        announce(f"serving {source} ({triples:,} triples) at {url} — SPARQL endpoint {url}sparql")
        uvicorn.Server(config).run(sockets=[sock])


@contextlib.contextmanager
def serving(source: str | os.PathLike[str], *options: str, startup: float = 120.0) -> Iterator[str]:
    """Run ``crimegraph serve SOURCE`` in a child process on a free loopback port; yields its
    base URL and stops it on exit. ``options`` are more command-line options (``--workers 1``).
    """
    entry = "import sys; from graph.cli import main; sys.exit(main())"
    command = [sys.executable, "-c", entry, "serve", str(source), "--port", "0", "-q"]
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.Popen([*command, *options], stdout=subprocess.PIPE, stderr=log, text=True)
        try:
            yield _announced_url(proc, log, startup)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()


def _announced_url(proc: subprocess.Popen[str], log: IO[str], startup: float) -> str:
    """The URL the child prints once it listens; CrimegraphError if it ends or takes too long."""
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], startup)
    line = proc.stdout.readline() if ready else ""
    found = re.search(r"at (http://\S+/) ", line)
    if found:
        return found.group(1)
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    log.seek(0)
    error = log.read().strip().splitlines()
    raise CrimegraphError(f"crimegraph serve did not start: {error[-1] if error else line!r}")
