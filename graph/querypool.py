"""Answer SPARQL queries over a graph in worker processes that are stopped at a limit.

rdflib evaluates a query in pure Python and offers no way to interrupt it, and a thread cannot
be killed. So each query runs in a worker process of a :class:`~graph.workerpool.WorkerPool`
that holds its own copy of the graph (opened by :func:`open_graph`) and is killed past the time
limit, when the client hangs up, or past its memory limit, and replaced. Queries are read-only
and offline: :func:`graph.query.prepare` refuses updates, SERVICE, LOAD and FROM before anything
runs. The worker writes the answer to a spool file, no larger than the byte limit, which the
server then streams to the client: neither the worker nor the server holds a large answer.

Evaluation itself is :func:`evaluate` (one graph, one query, one output stream): the one place
to change to evaluate with another engine.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from rdflib import Graph
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result

from graph.controlchars import printable
from graph.errors import CrimegraphError
from graph.namespaces import QUERY_PREFIXES
from graph.query import prepare
from graph.results import limited, negotiate, write
from graph.workerpool import Outcome, PoolLimits, WorkerPool

#: Query kinds by the name of their algebra node.
_KINDS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


@dataclass(frozen=True)
class Limits:
    """What one query may take: seconds of evaluation, rows (triples) and bytes of answer, and
    the memory (MB) of the worker answering it."""

    seconds: float = 10.0
    rows: int = 100_000
    bytes: int = 64 * 2**20
    memory_mb: int = 1024


#: The limits of ``crimegraph serve`` unless told otherwise.
DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Answer:
    """An HTTP answer to a query: status, media type, and the body, either in ``body`` or in
    the spool file ``path`` (of ``size`` bytes); ``truncated`` when rows were cut."""

    status: int
    media_type: str
    body: bytes = b""
    truncated: bool = False
    path: str | None = None
    size: int = 0
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def error(cls, status: int, message: str, *headers: tuple[str, str]) -> Answer:
        """A plain-text error answer of one line, stripped of control characters."""
        body = (printable(message) + "\n").encode("utf-8")
        return cls(status, "text/plain; charset=utf-8", body, headers=headers)


class AnswerTooLarge(Exception):
    """Raised by :class:`CappedWriter` past its limit."""


class CappedWriter:
    """A binary file that refuses to grow past ``limit`` bytes (raises AnswerTooLarge)."""

    def __init__(self, fh: BinaryIO, limit: int):
        self._fh, self._limit, self.written = fh, limit, 0

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self.written += len(data)
        if self.written > self._limit:
            raise AnswerTooLarge(self._limit)
        return self._fh.write(data)

    def flush(self) -> None:
        self._fh.flush()


@functools.lru_cache(maxsize=256)
def _prepared(text: str) -> Query | None:
    return prepare(text)


def refusal(text: str, error: CrimegraphError) -> Answer:
    """The 4xx answer to a query :func:`graph.query.prepare` refused: 403 for an update or a
    call to the web (SERVICE, LOAD, FROM), 400 for malformed SPARQL."""
    try:
        prepare(text, allow_update=True, allow_network=True)
    except CrimegraphError as malformed:
        return Answer.error(400, str(malformed))
    try:
        prepare(text, allow_update=True)
    except CrimegraphError as network:
        what = str(network).split(" ", 1)[0]
        if what not in ("SERVICE", "LOAD", "FROM", "USING"):
            what = "SERVICE, LOAD, FROM and USING"
        message = f"{what} is disabled: this endpoint answers from its own graph only"
        return Answer.error(403, message)
    return Answer.error(403, "updates are refused: this endpoint is read-only")


def evaluate(g: Graph, text: str, query: Query, rows: int) -> tuple[Result, bool]:
    """The rdflib result of ``query`` (prepared from ``text``) on ``g``, cut to ``rows`` rows:
    the one place that evaluates, so another engine can be put here."""
    if type(g.store).__module__.startswith("rdflib."):
        result = g.query(query)
    else:  # other stores (Oxigraph) evaluate the text themselves
        result = g.query(text, initNs=QUERY_PREFIXES)
    return limited(result, rows)


def answer(
    g: Graph,
    text: str,
    accept: str | None,
    fmt: str | None = None,
    rows: int = 100_000,
    *,
    out: BinaryIO | None = None,
    max_bytes: int = DEFAULT_LIMITS.bytes,
) -> Answer:
    """Evaluate ``text`` on ``g`` and write the result in the format negotiated from ``accept``
    (or named by ``fmt``), cut to ``rows`` rows, into ``out`` when given (else into the
    answer's body), refusing more than ``max_bytes``. Never raises for a bad query: answers 4xx,
    and 507 for an answer over the byte limit.
    """
    try:
        query = _prepared(text)
    except CrimegraphError as exc:
        return refusal(text, exc)
    if query is None:  # pragma: no cover - prepare refuses updates unless allowed
        return refusal(text, CrimegraphError("update"))
    kind = _KINDS.get(query.algebra.name, "SELECT")
    chosen = negotiate(accept, kind, fmt)
    if chosen is None:
        wanted = fmt or accept
        return Answer.error(406, f"cannot answer this {kind} query as {wanted}")
    buffer = None
    if out is None:
        import io

        buffer = out = io.BytesIO()
    capped = CappedWriter(out, max_bytes)
    try:
        cut, truncated = evaluate(g, text, query, rows)
        write(cut, chosen, capped)  # type: ignore[arg-type]
    except AnswerTooLarge:
        return too_large(max_bytes)
    except MemoryError:
        return Answer.error(507, "the query needs more memory than a worker may use")
    except Exception as exc:  # evaluation errors of the engine, one line
        message = " ".join(str(exc).split()) or type(exc).__name__
        return Answer.error(500, f"query failed: {type(exc).__name__}: {message[:200]}")
    body = buffer.getvalue() if buffer is not None else b""
    return Answer(200, chosen.media_type, body, truncated, size=capped.written)


def too_large(limit: int) -> Answer:
    """The answer to a query whose answer passed the byte limit."""
    return Answer.error(
        507,
        f"the answer is larger than the limit of {limit:,} bytes: "
        "narrow the query, add LIMIT, or ask the server for a higher --byte-limit",
    )


# --- the worker side ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One query for a worker: the query, how to answer it, and the spool file to write."""

    text: str
    accept: str | None
    fmt: str | None
    rows: int
    max_bytes: int
    spool: str


def open_graph(source: str) -> tuple[Graph, int]:
    """Worker setup: the graph of ``source`` and its number of triples; the one place that
    opens the served graph."""
    from graph.load import load_graph

    g = load_graph(source)
    # Warm the SPARQL parser and evaluator here, once, rather than in every forked worker, and
    # parse the canned queries as clients send them (parameters at their defaults).
    answer(g, "ASK { ?s ?p ?o }", None)
    for text in _canned_texts():
        with contextlib.suppress(CrimegraphError):
            _prepared(text)
    return g, len(g)


def _canned_texts() -> list[str]:
    """The canned queries, with their default parameters bound in the text (as the page and a
    remote client send them)."""
    from graph.query import bind_canned, canned_queries
    from graph.querytext import remote_text

    out = []
    for query in canned_queries():
        with contextlib.suppress(CrimegraphError):
            out.append(remote_text(query.text, bind_canned(query, {})))
    return out


def answer_request(g: Graph, request: Request) -> Answer:
    """Worker task: answer ``request`` on ``g``, writing a 200 answer into its spool file."""
    with open(request.spool, "wb") as fh:
        result = answer(
            g, request.text, request.accept, request.fmt, request.rows,
            out=fh, max_bytes=request.max_bytes,
        )  # fmt: skip
    if result.status != 200:
        with contextlib.suppress(OSError):
            os.unlink(request.spool)
        return result
    return Answer(200, result.media_type, b"", result.truncated, request.spool, result.size)


class QueryPool:
    """Worker processes that each hold the graph of ``source`` and answer queries within
    ``limits``. Call :meth:`start` first; use it as a context manager, or call :meth:`close`."""

    def __init__(
        self,
        source: str | os.PathLike[str],
        *,
        workers: int = 2,
        limits: Limits = DEFAULT_LIMITS,
        spare: int | None = None,
        tasks: int = 1000,
    ):
        if workers < 1:
            raise CrimegraphError("at least one worker is needed")
        self.source = Path(source)
        self.limits = limits
        self._spool = tempfile.mkdtemp(prefix="crimegraph-answers-")
        pool_limits = PoolLimits(
            workers=workers,
            seconds=limits.seconds,
            memory_mb=limits.memory_mb,
            tasks=tasks,
            spare=2 * workers if spare is None else spare,
        )
        self.workers = WorkerPool(
            "graph.querypool.open_graph",
            "graph.querypool.answer_request",
            str(self.source),
            pool_limits,
        )

    def start(self, timeout: float = 600.0) -> int:
        """Start the workers and wait until each has loaded the graph; its number of triples.

        Raises CrimegraphError (one line) when the graph cannot be loaded.
        """
        return self.workers.start(timeout)

    async def answer(
        self,
        text: str,
        accept: str | None,
        fmt: str | None = None,
        gone: Callable[[], Awaitable[bool]] | None = None,
        seconds: float | None = None,
    ) -> Answer:
        """Answer a query without blocking the event loop, within ``seconds`` when given (never
        more than the pool's time limit); ``gone()`` says whether the client has hung up (the
        query is then stopped). A 200 answer's body is in its spool file:
        the caller deletes it (:meth:`discard`)."""
        spool = os.path.join(self._spool, uuid.uuid4().hex)
        request = Request(text, accept, fmt, self.limits.rows, self.limits.bytes, spool)
        try:
            done = await self.workers.run(request, gone or _never, seconds)
        except CrimegraphError as exc:
            return Answer.error(500, f"no worker can answer: {exc}")
        if done.outcome is Outcome.DONE:
            assert isinstance(done.reply, Answer)
            return done.reply
        self.discard(spool)
        if done.outcome is Outcome.TIMEOUT:
            limit = f"{min(seconds or self.limits.seconds, self.limits.seconds):g}"
            message = f"query stopped at the time limit of {limit} s"
            return Answer.error(503, message, ("X-Time-Limit", limit))
        if done.outcome is Outcome.MEMORY:
            return Answer.error(
                507, f"query stopped: its worker passed the memory limit ({done.message})"
            )
        if done.outcome is Outcome.BUSY:
            return Answer.error(
                503, "query stopped: the server is busy with other long queries; try again",
                ("Retry-After", "5"),
            )  # fmt: skip
        if done.outcome is Outcome.CANCELLED:
            return Answer.error(499, "query stopped: the client went away")
        return Answer.error(500, f"the worker answering this query died ({done.message})")

    def status(self) -> dict[str, object]:
        """The live workers, how many were started, and how many queries ended each way."""
        return {
            "workers": len(self.workers.processes()),
            "started": self.workers.started,
            "ended": {outcome.value: n for outcome, n in self.workers.ended.items()},
        }

    @staticmethod
    def discard(path: str | None) -> None:
        """Delete a spool file (a no-op for None or a missing file)."""
        if path:
            with contextlib.suppress(OSError):
                os.unlink(path)

    def close(self) -> None:
        """Stop the workers and delete the spool folder (again: a no-op)."""
        self.workers.close()
        shutil.rmtree(self._spool, ignore_errors=True)

    def __enter__(self) -> QueryPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


async def _never() -> bool:
    return False
