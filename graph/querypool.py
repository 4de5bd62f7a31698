"""Answer SPARQL queries over a graph in worker processes that are stopped at a time limit.

rdflib evaluates a query in pure Python and offers no way to interrupt it, and a thread cannot
be killed. So each query runs in a worker process of a Pebble pool that holds its own copy of
the graph: past the time limit Pebble terminates that worker and starts a new one (which loads
the graph again) while the other workers go on answering. Queries are read-only and offline:
:func:`graph.query.prepare` refuses updates, SERVICE, LOAD and FROM before anything runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import multiprocessing
import os
import signal
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path

from pebble import ProcessExpired, ProcessPool
from rdflib import Graph
from rdflib.plugins.sparql.sparql import Query

from graph.errors import CrimegraphError
from graph.namespaces import QUERY_PREFIXES
from graph.query import prepare
from graph.results import limited, negotiate, serialize

#: Query kinds by the name of their algebra node.
_KINDS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


@dataclass(frozen=True)
class Limits:
    """What one query may take: seconds of evaluation and rows (triples) of result."""

    seconds: float = 10.0
    rows: int = 100_000


#: The limits of ``crimegraph serve`` unless told otherwise.
DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Answer:
    """An HTTP answer to a query: status, media type, body, and whether rows were cut."""

    status: int
    media_type: str
    body: bytes
    truncated: bool = False

    @classmethod
    def error(cls, status: int, message: str) -> Answer:
        """A plain-text error answer of one line."""
        return cls(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


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
        if what not in ("SERVICE", "LOAD", "FROM"):
            what = "SERVICE, LOAD and FROM"
        message = f"{what} is disabled: this endpoint answers from its own graph only"
        return Answer.error(403, message)
    return Answer.error(403, "updates are refused: this endpoint is read-only")


def answer(
    g: Graph, text: str, accept: str | None, fmt: str | None = None, rows: int = 100_000
) -> Answer:
    """Evaluate ``text`` on ``g`` and write the result in the format negotiated from ``accept``
    (or named by ``fmt``), cut to ``rows`` rows. Never raises for a bad query: answers 4xx."""
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
    try:
        if type(g.store).__module__.startswith("rdflib."):
            result = g.query(query)
        else:  # other stores (Oxigraph) evaluate the text themselves
            result = g.query(text, initNs=QUERY_PREFIXES)
        cut, truncated = limited(result, rows)
        body = serialize(cut, chosen)
    except Exception as exc:  # evaluation errors of the engine, one line
        message = " ".join(str(exc).split()) or type(exc).__name__
        return Answer.error(500, f"query failed: {type(exc).__name__}: {message[:200]}")
    return Answer(200, chosen.media_type, body, truncated)


# --- the worker side ----------------------------------------------------------------------------

_GRAPH: Graph | None = None
_LOAD_ERROR = ""


def _load(source: str) -> None:
    """Worker initializer: load the graph once; leave Ctrl-C to the server process.

    A graph that cannot be loaded is remembered as a one-line message (an initializer that
    raised would make Pebble start the worker again and again).
    """
    global _GRAPH, _LOAD_ERROR
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from graph.storegraph import reader_graph

    try:
        _GRAPH = reader_graph(source)  # a build's store, read-only: Oxigraph evaluates
    except CrimegraphError as exc:
        _LOAD_ERROR = str(exc)


def _answer_in_worker(text: str, accept: str | None, fmt: str | None, rows: int) -> Answer:
    if _GRAPH is None:
        return Answer.error(500, _LOAD_ERROR or "the worker holds no graph")
    return answer(_GRAPH, text, accept, fmt, rows)


def _size() -> int:
    """The number of triples of the worker's graph; raises CrimegraphError if it has none."""
    if _GRAPH is None:
        raise CrimegraphError(_LOAD_ERROR or "the worker holds no graph")
    return len(_GRAPH)


class QueryPool:
    """Worker processes that each hold the graph of ``source`` and answer queries within
    ``limits``. Use it as a context manager, or call :meth:`close`."""

    def __init__(
        self, source: str | os.PathLike[str], *, workers: int = 2, limits: Limits = DEFAULT_LIMITS
    ):
        if workers < 1:
            raise CrimegraphError("at least one worker is needed")
        self.source = Path(source)
        self.workers = workers
        self.limits = limits
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["graph.querypool"])
        self._closed = False
        self._pool = ProcessPool(
            max_workers=workers, initializer=_load, initargs=(str(self.source),), context=context
        )

    def warm_up(self, timeout: float = 600.0) -> int:
        """Wait until the workers have loaded the graph; its number of triples.

        Raises CrimegraphError (one line) when the graph cannot be loaded.
        """
        futures = [self._pool.schedule(_size) for _ in range(self.workers)]
        return min(f.result(timeout=timeout) for f in futures)

    def submit(self, text: str, accept: str | None, fmt: str | None = None) -> Future[Answer]:
        """Schedule a query; the future raises TimeoutError past the time limit."""
        return self._pool.schedule(
            _answer_in_worker,
            args=(text, accept, fmt, self.limits.rows),
            timeout=self.limits.seconds,
        )

    def outcome(self, future: Future[Answer]) -> Answer:
        """The answer of a finished future, a 503 for a query stopped at the time limit."""
        try:
            return future.result()
        except FutureTimeout:
            return Answer.error(
                503, f"query stopped at the time limit of {self.limits.seconds:g} s"
            )
        except ProcessExpired as exc:
            return Answer.error(500, f"the worker answering this query died ({exc})")
        except Exception as exc:  # a failure of the pool itself: one line, the server goes on
            return Answer.error(500, f"query failed: {type(exc).__name__}: {exc}")

    async def answer(self, text: str, accept: str | None, fmt: str | None = None) -> Answer:
        """Answer a query without blocking the event loop."""
        future = self.submit(text, accept, fmt)
        with contextlib.suppress(Exception):  # outcome() turns every failure into an answer
            await asyncio.wrap_future(future)
        return self.outcome(future)

    def close(self) -> None:
        """Stop the workers (again: a no-op)."""
        if self._closed:
            return
        self._closed = True
        self._pool.stop()  # type: ignore[no-untyped-call]
        self._pool.join()

    def __enter__(self) -> QueryPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
