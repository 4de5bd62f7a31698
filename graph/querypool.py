"""Answer SPARQL queries over a graph with Oxigraph, in worker processes stopped at a limit.

Each query runs in a worker process of a :class:`~graph.workerpool.WorkerPool`, killed past the
time limit, when the client hangs up, or past its memory limit, and replaced: a thread cannot
be stopped, a process can. Workers evaluate with Oxigraph (pyoxigraph) and write the answer
with Oxigraph's own serialisers (:mod:`graph.oxresults`). A build directory's persistent store
(``out/store``) is opened read-only by each worker *after* it is forked: RocksDB runs threads of
its own, and a process that forks while they run may hang or corrupt its child, so the process
that forks the workers never opens it. A graph file is loaded once into an in-memory Oxigraph
store by that process (which runs no thread of its own: checked) and shared by the workers it
forks, copy-on-write.

Queries are read-only and offline. Oxigraph's ``query`` runs queries only (an update is a syntax
error to it), and :func:`graph.storequery.check` decides network access on the parsed query
before anything runs: any text that could hold SERVICE, FROM or LOAD (one of those words outside
strings, IRIs and comments, or an escape that could spell one) is parsed by
:func:`graph.query.prepare`, rdflib's parser, which refuses it; text without them cannot reach
the web and skips that parse, which costs 7 to 22 ms a query (Oxigraph answers a point look-up
in about 1 ms). rdflib is used for that check and for the wording of refusals only.

The worker writes the answer to a spool file, no larger than the byte limit, which the server
then streams to the client: neither the worker nor the server holds a large answer.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from graph.cannedtext import is_canned
from graph.controlchars import printable
from graph.diskstore import load_file, store_problem
from graph.errors import CrimegraphError
from graph.iris import QUERY_PREFIX_IRIS
from graph.oxresults import RowsTooLarge, write_answer
from graph.query import prepare
from graph.results import negotiate
from graph.storequery import check
from graph.workerpool import Outcome, PoolLimits, WorkerPool

#: What a query's kind is called, by the type of Oxigraph's answer (CONSTRUCT and DESCRIBE
#: answer alike, in the same formats).
_KINDS: dict[type, str] = {
    ox.QuerySolutions: "SELECT",
    ox.QueryBoolean: "ASK",
    ox.QueryTriples: "CONSTRUCT",
}


@dataclass(frozen=True)
class Limits:
    """What one query may take: seconds of evaluation, rows (triples) and bytes of answer, and
    the memory (MB) of the worker answering it."""

    seconds: float = 10.0
    rows: int = 100_000
    bytes: int = 64 * 2**20
    memory_mb: int = 1024


#: CPU seconds after which a long ad-hoc query is reniced, or shed when the pool's lane for long
#: queries is full (:mod:`graph.workerpool`). Oxigraph answers a point look-up in about 1 ms, so
#: a query past 50 ms of CPU is an expensive one; the pool's own default (0.25 s) was set for
#: rdflib. Measured with benchmarks/serve_load.py: 0.25 s gave cheap p50 193 ms, p99 3.2 s;
#: 0.05 s gave 146 ms and 517 ms (docs/serve-performance.md).
SHED_AFTER = 0.05

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
def _checked(text: str) -> None:
    """Raise CrimegraphError when ``text`` could reach the web (:func:`graph.storequery.check`:
    the text is parsed by :func:`graph.query.prepare` whenever it could hold SERVICE, FROM or
    LOAD); remembered, so a query sent again is not checked again."""
    check(text, allow_network=False)


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


@dataclass(frozen=True)
class Served:
    """The graph a worker answers from: an Oxigraph ``store``, or, until a worker has opened
    it after its fork, the ``folder`` of a build's persistent store or the graph ``file`` to
    load; ``union``: queries read every named graph (TriG, N-Quads); ``error``: why the worker
    could not open it."""

    store: ox.Store | None
    folder: str = ""
    file: str = ""
    union: bool = False
    error: str = ""


def answer(
    served: Served,
    text: str,
    accept: str | None,
    fmt: str | None = None,
    rows: int = 100_000,
    *,
    out: BinaryIO | None = None,
    max_bytes: int = DEFAULT_LIMITS.bytes,
) -> Answer:
    """Evaluate ``text`` with Oxigraph and write the result in the format negotiated from
    ``accept`` (or named by ``fmt``), cut to ``rows`` rows, into ``out`` when given (else into
    the answer's body), refusing more than ``max_bytes``. Never raises for a bad query: answers
    4xx, and 507 for an answer over the byte limit.
    """
    try:
        _checked(text)
    except CrimegraphError as exc:
        return refusal(text, exc)
    if served.store is None:
        return Answer.error(500, f"this worker cannot read the graph ({served.error})")
    try:
        result = served.store.query(
            text, prefixes=QUERY_PREFIX_IRIS, use_default_graph_as_union=served.union
        )
    except SyntaxError as exc:  # an update, or not SPARQL: rdflib's parser says which
        return _unparsed(text, exc)
    except Exception as exc:  # an evaluation error of a part Oxigraph runs at once
        return Answer.error(500, f"query failed: {type(exc).__name__}: {_one_line(exc)}")
    kind = _KINDS[type(result)]
    chosen = negotiate(accept, kind, fmt)
    if chosen is None:
        wanted = fmt or accept
        what = "CONSTRUCT or DESCRIBE" if kind == "CONSTRUCT" else kind
        return Answer.error(406, f"cannot answer this {what} query as {wanted}")
    buffer = None
    if out is None:
        buffer = out = io.BytesIO()
    capped = CappedWriter(out, max_bytes)
    try:
        truncated = write_answer(result, chosen, capped, rows, max_bytes)  # type: ignore[arg-type]
    except (AnswerTooLarge, RowsTooLarge):
        return too_large(max_bytes)
    except MemoryError:
        return Answer.error(507, "the query needs more memory than a worker may use")
    except Exception as exc:  # evaluation errors of the engine, one line
        return Answer.error(500, f"query failed: {type(exc).__name__}: {_one_line(exc)}")
    body = buffer.getvalue() if buffer is not None else b""
    return Answer(200, chosen.media_type, body, truncated, size=capped.written)


def _unparsed(text: str, exc: SyntaxError) -> Answer:
    """The answer to a text Oxigraph cannot read as a query: rdflib's reading of it (403 for
    an update or a call to the web, 400 located for malformed SPARQL), else Oxigraph's own
    message."""
    try:
        prepare(text)
    except CrimegraphError as refused:
        return refusal(text, refused)
    return Answer.error(400, f"malformed SPARQL: {_one_line(exc)}")


def _one_line(exc: BaseException) -> str:
    return (" ".join(str(exc).split()) or type(exc).__name__)[:200]


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


def open_graph(source: str) -> tuple[Served, int]:
    """Setup of the process that forks the workers: the graph of ``source`` and its number of
    triples. A build directory's sound store is only checked here (in a child process) and
    left for each worker to open; a graph file (or the ``graph.nt`` of a build whose store
    cannot be used) is loaded into memory here, to be shared by the workers."""
    p = Path(source)
    if p.is_dir():
        problem = store_problem(p) or _probe(p / "store")
        if problem is None:
            record = json.loads((p / "build.json").read_text(encoding="utf-8"))
            _warm(None)
            return Served(None, folder=str(p / "store")), int(record.get("triples", 0))
        from graph.load import graph_file

        path = graph_file(p)
        print(
            f"crimegraph: note: {p}: {problem}; reading {path.name} instead "
            "(build again for fast answers)",
            file=sys.stderr,
        )
    else:
        path = p
    graph = load_file(path)
    served = Served(graph.store, union=graph.union)
    triples = len(graph.store)
    if _threads() > 1:  # pragma: no cover - Oxigraph's in-memory store runs no thread today
        served = Served(None, file=str(path), union=graph.union)
    _warm(served)
    return served, triples


def _warm(served: Served | None) -> None:
    """Warm the SPARQL parsers (and the evaluator, on a store held here) once, rather than
    in every forked worker, and check the canned queries as clients send them."""
    if served is not None and served.store is not None:
        answer(served, "ASK { ?s ?p ?o }", None)
    prepare("SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }", allow_network=True)
    for text in _canned_texts():
        with contextlib.suppress(CrimegraphError):
            _checked(text)


def worker_graph(served: Served) -> Served:
    """A worker's first step after its fork: open the store that was left for it (read-only)
    or load the graph file; on failure, say why in every answer."""
    if served.store is not None:
        return served
    try:
        if served.folder:
            return replace(served, store=ox.Store.read_only(served.folder))
        return replace(served, store=load_file(Path(served.file)).store)
    except (OSError, CrimegraphError) as exc:
        return replace(served, error=_one_line(exc))


def _threads() -> int:
    """The threads of this process (1 where /proc is not readable)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


def _probe(folder: Path) -> str | None:
    """Why the store in ``folder`` cannot be opened read-only, or None. Tried in a child
    process, so that this one never starts RocksDB's threads (it forks the workers)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: open, say how it went, and end without clean-up
        os.close(read)
        try:
            ox.Store.read_only(str(folder))
            message = "ok"
        except BaseException as exc:
            message = _one_line(exc)
        os.write(write, message.encode("utf-8")[:4000])
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as fh:
        said = fh.read().decode("utf-8", errors="replace")
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
    if said == "ok":
        return None
    return f"its store cannot be opened ({said or 'the process opening it ended'})"


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


def answer_request(served: Served, request: Request) -> Answer:
    """Worker task: answer ``request``, writing a 200 answer into its spool file."""
    with open(request.spool, "wb") as fh:
        result = answer(
            served, request.text, request.accept, request.fmt, request.rows,
            out=fh, max_bytes=request.max_bytes,
        )  # fmt: skip
    if result.status != 200:
        with contextlib.suppress(OSError):
            os.unlink(request.spool)
        return result
    return Answer(200, result.media_type, b"", result.truncated, request.spool, result.size)


class QueryPool:
    """Worker processes that answer queries on the graph of ``source`` (a graph file or a
    build directory) within ``limits``. Call :meth:`start` first; use it as a context
    manager, or call :meth:`close`."""

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
            shed_after=SHED_AFTER,
        )
        self.workers = WorkerPool(
            "graph.querypool.open_graph",
            "graph.querypool.answer_request",
            str(self.source),
            pool_limits,
            forked="graph.querypool.worker_graph",
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
            trusted = is_canned(text)
            done = await self.workers.run(request, gone or _never, seconds, trusted=trusted)
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
            "running": self.workers.running(),
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
