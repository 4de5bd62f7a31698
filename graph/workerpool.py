"""Worker processes for work that must be stoppable: each task runs in a process the pool can
kill, and the pool keeps a fixed number of fresh workers ready.

rdflib evaluates SPARQL in pure Python and cannot be interrupted, and a thread cannot be killed,
so a query runs in a worker process that holds its own copy of the graph. The pool (driven from
the server's asyncio loop) kills the worker when the task passes its time limit, when the caller
gives up (the HTTP client hung up) or when the worker grows past its memory limit, and starts a
new one in its place. A worker is also recycled after a number of tasks, or once its memory has
grown past the limit (CPython rarely gives memory back).

Long tasks do not starve short ones: a task still running after ``slow_after`` seconds makes its
worker *slow*: it is reniced (the scheduler favours the others) and a fresh worker is started in
its place, so ``workers`` processes stay available for new tasks. At most ``spare`` tasks may be
slow at once; one more is stopped with :attr:`Outcome.BUSY` (the server is saturated by long
queries: shed load rather than queue everybody behind them). A slow worker is retired once its
task ends.

The worker side is two functions named by module path (picklable for ``forkserver``):
``setup(argument) -> (state, size)`` once, then ``handle(state, request) -> reply`` per task.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import importlib
import multiprocessing
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from graph.errors import CrimegraphError

#: How often (seconds) a running task is checked against its limits and its caller.
TICK = 0.05
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class PoolLimits:
    """How many workers, and what a task and a worker may take.

    ``seconds``: time limit of one task; ``memory_mb``: resident memory of one worker (killed
    above it during a task, recycled above it after one); ``tasks``: tasks before a worker is
    recycled; ``slow_after``/``spare``: see the module docstring.
    """

    workers: int = 2
    seconds: float = 10.0
    memory_mb: int = 1024
    tasks: int = 1000
    slow_after: float = 0.5
    spare: int = 2


class Outcome(enum.Enum):
    """How a task ended."""

    DONE = "done"
    TIMEOUT = "timeout"
    CANCELLED = "cancelled"
    MEMORY = "memory"
    BUSY = "busy"
    DIED = "died"


@dataclass(frozen=True)
class Result:
    """A task's outcome, the worker's reply when it finished, and a message otherwise."""

    outcome: Outcome
    reply: Any = None
    message: str = ""


def rss_mb(pid: int) -> float:
    """The resident memory of process ``pid`` in MB (0 where /proc is not readable)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def _resolve(path: str) -> Callable[..., Any]:
    module, _, name = path.rpartition(".")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


def _worker_main(conn: Connection, setup: str, handle: str, argument: Any) -> None:
    """The worker process: set up, say so, then answer tasks until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    try:
        state, size = _resolve(setup)(argument)
    except CrimegraphError as exc:
        conn.send(("failed", str(exc)))
        return
    except Exception as exc:  # a setup that fails for any reason: one line to the pool
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", size))
    handler = _resolve(handle)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        reply = handler(state, request)
        usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        conn.send(("reply", reply, usage))


@dataclass(eq=False)
class _Worker:
    """One worker process, seen from the pool."""

    process: BaseProcess
    conn: Connection
    state: str = "starting"  # starting → idle ⇄ busy; slow; dead
    tasks: int = 0
    slow: bool = False
    message: asyncio.Event | None = None

    @property
    def pid(self) -> int:
        return self.process.pid or 0


@dataclass
class _Waiters:
    """Callers waiting for an idle worker, first come first served."""

    queue: deque[asyncio.Future[_Worker]] = field(default_factory=deque)


class WorkerPool:
    """Processes that run ``setup(argument)`` once and ``handle(state, request)`` per task.

    :meth:`start` (blocking, before serving) starts them and waits until they are set up; the
    rest is used from one asyncio loop. :meth:`close` kills them all.
    """

    def __init__(self, setup: str, handle: str, argument: Any, limits: PoolLimits):
        if limits.workers < 1:
            raise CrimegraphError("at least one worker is needed")
        self.setup, self.handle, self.argument, self.limits = setup, handle, argument, limits
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload([setup.rpartition(".")[0]])
        self._workers: list[_Worker] = []
        self._idle: deque[_Worker] = deque()
        self._waiters = _Waiters()
        self._failure = ""
        self._closed = False
        self.size = 0
        #: Counters for the record: workers started, and tasks ended by each outcome.
        self.started = 0
        self.ended: dict[Outcome, int] = dict.fromkeys(Outcome, 0)

    # --- workers ------------------------------------------------------------------------------

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main,
            args=(child, self.setup, self.handle, self.argument),
            daemon=True,
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self._workers.append(worker)
        self.started += 1
        return worker

    def start(self, timeout: float = 600.0) -> int:
        """Start the workers and wait until all are set up; the size their setup reported.

        Raises CrimegraphError (the worker's one line) when setup fails.
        """
        fresh = [self._spawn() for _ in range(self.limits.workers)]
        deadline = time.monotonic() + timeout
        for worker in fresh:
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self.close()
                raise CrimegraphError(f"the workers were not ready within {timeout:g} s")
            try:
                kind, value = worker.conn.recv()
            except (EOFError, OSError):
                kind, value = "failed", "a worker ended while starting"
            if kind != "ready":
                self.close()
                raise CrimegraphError(str(value))
            worker.state = "idle"
            self._idle.append(worker)
            self.size = int(value)
        return self.size

    def _listen(self, worker: _Worker) -> asyncio.Event:
        """An event set when the worker's pipe has something to read (or is closed)."""
        loop = asyncio.get_running_loop()
        event = asyncio.Event()
        fd = worker.conn.fileno()

        def readable() -> None:
            loop.remove_reader(fd)
            event.set()

        loop.add_reader(fd, readable)
        worker.message = event
        return event

    def _unlisten(self, worker: _Worker) -> None:
        if worker.message is not None and not worker.conn.closed:
            with contextlib.suppress(Exception):
                asyncio.get_running_loop().remove_reader(worker.conn.fileno())
        worker.message = None

    def _top_up(self) -> None:
        """Start workers until ``workers`` of them are starting, idle or busy (not slow)."""
        if self._closed or self._failure:
            return
        live = [w for w in self._workers if w.state in ("starting", "idle", "busy")]
        for _ in range(self.limits.workers - len(live)):
            worker = self._spawn()
            asyncio.get_running_loop().create_task(self._await_ready(worker))

    async def _await_ready(self, worker: _Worker) -> None:
        await self._listen(worker).wait()
        worker.message = None
        try:
            kind, value = worker.conn.recv()
        except (EOFError, OSError):
            kind, value = "failed", "a worker ended while starting"
        if kind != "ready" or self._closed:
            self._kill(worker)
            if not self._closed:
                self._fail(str(value))
            return
        worker.state = "idle"
        self._release(worker)

    def _fail(self, message: str) -> None:
        """No worker can start any more: tell every waiting caller."""
        self._failure = message
        while self._waiters.queue:
            waiter = self._waiters.queue.popleft()
            if not waiter.done():
                waiter.set_exception(CrimegraphError(message))

    def _release(self, worker: _Worker) -> None:
        """Give an idle worker to the first waiting caller, or keep it."""
        while self._waiters.queue:
            waiter = self._waiters.queue.popleft()
            if not waiter.done():
                worker.state = "busy"
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    def _kill(self, worker: _Worker) -> None:
        """Stop a worker at once and forget it."""
        self._unlisten(worker)
        worker.state = "dead"
        with contextlib.suppress(ProcessLookupError, AttributeError):
            if worker.process.is_alive():
                worker.process.kill()
        worker.conn.close()
        with contextlib.suppress(ValueError):
            self._workers.remove(worker)
        with contextlib.suppress(ValueError):
            self._idle.remove(worker)
        worker.process.join(1.0)

    async def _acquire(self) -> _Worker:
        while self._idle:
            worker = self._idle.popleft()
            if worker.process.is_alive():
                worker.state = "busy"
                return worker
            self._kill(worker)
            self._top_up()
        if self._failure:
            raise CrimegraphError(self._failure)
        waiter: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        self._waiters.queue.append(waiter)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self._release(waiter.result())  # handed over just as the caller left
            raise

    # --- tasks --------------------------------------------------------------------------------

    async def run(self, request: Any, gone: Callable[[], Awaitable[bool]]) -> Result:
        """Run one task; ``gone()`` says whether the caller has gone away (then it is stopped).

        Raises CrimegraphError only when no worker can be started at all.
        """
        worker = await self._acquire()
        if await gone():
            self._release(worker)
            return self._ended(Result(Outcome.CANCELLED, message="the client went away"))
        started = time.monotonic()
        try:
            worker.conn.send(request)
        except (OSError, ValueError) as exc:
            self._retire(worker)
            message = f"the worker could not be reached ({exc})"
            return self._ended(Result(Outcome.DIED, message=message))
        event = self._listen(worker)
        try:
            return self._ended(await self._follow(worker, event, started, gone))
        except BaseException:  # cancelled: the task must not outlive its caller
            self._retire(worker)
            raise

    def _ended(self, result: Result) -> Result:
        self.ended[result.outcome] += 1
        return result

    async def _follow(
        self,
        worker: _Worker,
        event: asyncio.Event,
        started: float,
        gone: Callable[[], Awaitable[bool]],
    ) -> Result:
        limits = self.limits
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), TICK)
            if event.is_set():
                return self._collect(worker)
            elapsed = time.monotonic() - started
            stop: Result | None = None
            if elapsed > limits.seconds:
                stop = Result(Outcome.TIMEOUT, message=f"time limit of {limits.seconds:g} s")
            elif await gone():
                stop = Result(Outcome.CANCELLED, message="the client went away")
            elif (used := rss_mb(worker.pid)) > limits.memory_mb:
                stop = Result(Outcome.MEMORY, message=f"{used:.0f} MB > {limits.memory_mb} MB")
            elif not worker.slow and elapsed > limits.slow_after:
                stop = self._slow_down(worker)
            if stop is not None:
                self._retire(worker)
                return stop

    def _slow_down(self, worker: _Worker) -> Result | None:
        """Mark a long task's worker slow and start a fresh one in its place; BUSY when
        ``spare`` tasks are slow already."""
        if sum(1 for w in self._workers if w.slow) >= self.limits.spare:
            return Result(Outcome.BUSY, message="the server is busy with long queries")
        worker.slow = True
        worker.state = "slow"
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, worker.pid, 10)
        self._top_up()
        return None

    def _collect(self, worker: _Worker) -> Result:
        """The reply of a worker whose pipe is readable; recycle or release the worker."""
        worker.message = None
        try:
            _, reply, peak_mb = worker.conn.recv()
        except (EOFError, OSError, ValueError, TypeError):
            code = worker.process.exitcode
            self._retire(worker)
            return Result(Outcome.DIED, message=f"the worker ended (exit code {code})")
        worker.tasks += 1
        worn = worker.tasks >= self.limits.tasks or rss_mb(worker.pid) > self.limits.memory_mb
        if worker.slow or worn or peak_mb > self.limits.memory_mb:
            self._retire(worker)
        else:
            worker.state = "idle"
            self._release(worker)
        return Result(Outcome.DONE, reply)

    def _retire(self, worker: _Worker) -> None:
        """Kill a worker and keep the pool at its size."""
        self._kill(worker)
        self._top_up()

    def close(self) -> None:
        """Kill every worker (again: a no-op)."""
        if self._closed:
            return
        self._closed = True
        for worker in list(self._workers):
            with contextlib.suppress(Exception):
                worker.process.kill()
            worker.conn.close()
        for worker in list(self._workers):
            worker.process.join(5.0)
        self._workers.clear()
        self._idle.clear()

    def processes(self) -> list[int]:
        """The process ids of the live workers (for tests and the record)."""
        return [w.pid for w in self._workers if w.state != "dead"]
