"""Worker processes for work that must be stoppable: each task runs in a process the pool can
kill, and the pool keeps a fixed number of fresh workers ready.

A SPARQL engine called from Python (Oxigraph in Rust, rdflib in pure Python) cannot be
interrupted, and a thread cannot be killed, so a query runs in a worker process that holds the
graph. The pool (driven from the server's
asyncio loop) kills the worker when the task passes its time limit, when the caller gives up
(the HTTP client hung up) or when the worker grows past its memory limit, and starts a new one
in its place. A worker is also recycled after a number of tasks, or once its memory has grown
past the limit (CPython rarely gives memory back).

Workers are cheap to replace: one *template* process loads the graph once, then forks each
worker on request (copy-on-write, a few milliseconds whatever the graph's size), and hands the
pool the worker's end of a socket pair. Loading the graph again for each replacement would cost
a second or more each time an expensive query is stopped.

Long tasks do not starve short ones: a task still running after ``slow_after`` seconds makes
its worker *slow*: a fresh worker is forked in its place, so ``workers`` processes stay
available for new tasks. A slow task that has used ``shed_after`` seconds of CPU (it computes,
it is not merely waiting for a core) is also reniced, so the scheduler favours the others; a
reniced worker is retired when its task ends (its priority cannot be raised again); another
slow one goes back to work, and the pool then closes its idle workers past ``workers``, the
least used first (the others have warm caches). At most ``spare`` tasks may be slow at once;
past that, one more is stopped with :attr:`Outcome.BUSY` once it has used ``shed_after``
seconds of CPU, or at once when every slow task computes: the server is saturated by long
queries, and shedding one is better than queueing everybody behind them. A *trusted* task (the
caller knows its cost is bounded: the server's canned queries) is neither reniced nor shed: when
the lane is full it keeps its worker and the others wait, and only the time limit stops it.

The worker side is two functions named by module path (picklable for ``forkserver``):
``setup(argument) -> (state, size)`` once in the template, then ``handle(state, request) ->
reply`` per task in a worker; optionally a third, ``forked(state) -> state``, run in each worker
right after its fork: what must not be opened before a fork (a store whose library runs
threads) is opened there. The template must run no thread of its own when it forks.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import gc
import importlib
import multiprocessing
import os
import resource
import signal
import socket
import struct
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
    recycled; ``slow_after``/``shed_after``/``spare``: see the module docstring.
    """

    workers: int = 2
    seconds: float = 10.0
    memory_mb: int = 1024
    tasks: int = 1000
    slow_after: float = 0.1
    shed_after: float = 0.25
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


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) process ``pid`` has used (0 where /proc is not
    readable)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS
    except (OSError, ValueError, IndexError):
        return 0.0


def _resolve(path: str) -> Callable[..., Any]:
    module, _, name = path.rpartition(".")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent ends (so no worker outlives the template,
    whatever killed it); elsewhere a no-op."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _serve_tasks(
    conn: Connection, state: Any, handler: Callable[..., Any], forked: Callable[..., Any] | None
) -> None:
    """A worker's life: take its own state from the template's (``forked``), then answer tasks
    until the pipe closes."""
    if forked is not None:
        state = forked(state)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        reply = handler(state, request)
        usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        conn.send(("reply", reply, usage))


def _template_main(
    conn: Connection, setup: str, handle: str, argument: Any, forked: str | None = None
) -> None:
    """The template process: set up once, say so, then fork a worker for each byte the pool
    sends, passing the pool the worker's pid and its end of a new socket pair."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the workers are reaped as they end
    _die_with_parent()
    try:
        state, size = _resolve(setup)(argument)
    except CrimegraphError as exc:
        conn.send(("failed", str(exc)))
        return
    except Exception as exc:  # a setup that fails for any reason: one line to the pool
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    handler = _resolve(handle)
    after_fork = _resolve(forked) if forked else None
    gc.collect()
    gc.freeze()  # keep the collector from touching (and so copying) the graph in each worker
    conn.send(("ready", size))
    control = socket.socket(fileno=os.dup(conn.fileno()))
    while control.recv(1):
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # the worker
            _die_with_parent()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            control.close()
            conn.close()
            ours.close()
            _serve_tasks(Connection(theirs.detach()), state, handler, after_fork)
            os._exit(0)
        theirs.close()
        socket.send_fds(control, [struct.pack("i", pid)], [ours.fileno()])
        ours.close()


@dataclass(eq=False)
class _Worker:
    """One worker process, seen from the pool."""

    pid: int
    conn: Connection
    state: str = "idle"  # idle ⇄ busy; slow; dead
    tasks: int = 0
    slow: bool = False
    message: asyncio.Event | None = None
    cpu: float = 0.0  # CPU seconds used when the current task began
    reniced: bool = False
    trusted: bool = False  # the current task is never shed as busy nor reniced

    def alive(self) -> bool:
        """Whether the process still runs (it may have been killed from outside)."""
        try:
            os.kill(self.pid, 0)
        except OSError:
            return False
        return not self.conn.closed


@dataclass
class _Waiters:
    """Callers waiting for an idle worker, first come first served."""

    queue: deque[asyncio.Future[_Worker]] = field(default_factory=deque)


class WorkerPool:
    """Processes that run ``setup(argument)`` once and ``handle(state, request)`` per task
    (``forked(state) -> state`` first in each worker, when given).

    :meth:`start` (blocking, before serving) starts them and waits until they are set up; the
    rest is used from one asyncio loop. :meth:`close` kills them all.
    """

    def __init__(
        self, setup: str, handle: str, argument: Any, limits: PoolLimits, forked: str | None = None
    ):
        if limits.workers < 1:
            raise CrimegraphError("at least one worker is needed")
        self.setup, self.handle, self.argument, self.limits = setup, handle, argument, limits
        self.forked = forked
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload([setup.rpartition(".")[0]])
        self._workers: list[_Worker] = []
        self._idle: deque[_Worker] = deque()
        self._waiters = _Waiters()
        self._failure = ""
        self._closed = False
        self._template: BaseProcess | None = None
        self._control: socket.socket | None = None
        self._control_conn: Connection | None = None
        self.size = 0
        #: Counters for the record: workers started, and tasks ended by each outcome.
        self.started = 0
        self.ended: dict[Outcome, int] = dict.fromkeys(Outcome, 0)

    # --- workers ------------------------------------------------------------------------------

    def start(self, timeout: float = 600.0) -> int:
        """Start the template, wait until it is set up, and fork the workers; the size the
        setup reported. Raises CrimegraphError (the setup's one line) when setup fails."""
        parent, child = self._context.Pipe()
        self._template = self._context.Process(
            target=_template_main,
            args=(child, self.setup, self.handle, self.argument, self.forked),
            daemon=True,
        )
        self._template.start()
        child.close()
        self._control_conn = parent
        try:
            if not parent.poll(timeout):
                raise CrimegraphError(f"the graph was not loaded within {timeout:g} s")
            try:
                kind, value = parent.recv()
            except (EOFError, OSError):
                kind, value = "failed", "the process loading the graph ended"
            if kind != "ready":
                raise CrimegraphError(str(value))
            self._control = socket.socket(fileno=os.dup(parent.fileno()))
            self.size = int(value)
            for _ in range(self.limits.workers):
                self._idle.append(self._spawn())
        except BaseException:
            self.close()
            raise
        return self.size

    def _spawn(self) -> _Worker:
        """A new worker, forked by the template."""
        if self._control is None:
            raise CrimegraphError("the worker pool is not started")
        try:
            self._control.sendall(b"F")
            data, fds, _, _ = socket.recv_fds(self._control, 4, 1)
        except OSError as exc:
            raise CrimegraphError(f"cannot start a worker ({exc})") from exc
        if len(data) != 4 or len(fds) != 1:
            raise CrimegraphError("cannot start a worker: the process holding the graph ended")
        (pid,) = struct.unpack("i", data)
        worker = _Worker(pid, Connection(fds[0]))
        self._workers.append(worker)
        self.started += 1
        return worker

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

    def _trim(self) -> None:
        """Kill idle workers past ``workers``, those that answered fewest tasks first (the
        others have warm caches)."""
        extra = self._regular() - self.limits.workers
        for worker in sorted(self._idle, key=lambda w: w.tasks)[: max(0, extra)]:
            self._kill(worker)

    def running(self) -> int:
        """How many tasks the workers are running now (for ``/status``)."""
        return sum(1 for w in self._workers if w.state in ("busy", "slow"))

    def _regular(self) -> int:
        """The workers idle or busy with a task that is not slow."""
        return sum(1 for w in self._workers if w.state in ("idle", "busy"))

    def _top_up(self) -> None:
        """Fork workers until ``workers`` of them are idle or busy (not slow)."""
        if self._closed or self._failure:
            return
        live = [w for w in self._workers if w.state in ("idle", "busy")]
        for _ in range(self.limits.workers - len(live)):
            try:
                worker = self._spawn()
            except CrimegraphError as exc:
                self._fail(str(exc))
                return
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
        with contextlib.suppress(OSError):
            os.kill(worker.pid, signal.SIGKILL)
        worker.conn.close()
        with contextlib.suppress(ValueError):
            self._workers.remove(worker)
        with contextlib.suppress(ValueError):
            self._idle.remove(worker)

    async def _acquire(self) -> _Worker:
        while self._idle:
            worker = self._idle.popleft()
            if worker.alive():
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

    async def run(
        self,
        request: Any,
        gone: Callable[[], Awaitable[bool]],
        seconds: float | None = None,
        *,
        trusted: bool = False,
    ) -> Result:
        """Run one task within ``seconds`` (at most the pool's time limit); ``gone()`` says
        whether the caller has gone away (then it is stopped). A ``trusted`` task (one whose
        cost is known to be bounded) is never shed as busy nor reniced: when it is long it
        takes its turn, and only the time limit stops it.

        Raises CrimegraphError only when no worker can be started at all.
        """
        worker = await self._acquire()
        if await gone():
            self._release(worker)
            return self._ended(Result(Outcome.CANCELLED, message="the client went away"))
        started = time.monotonic()
        worker.cpu = cpu_seconds(worker.pid)
        worker.trusted = trusted
        try:
            worker.conn.send(request)
        except (OSError, ValueError) as exc:
            self._retire(worker)
            message = f"the worker could not be reached ({exc})"
            return self._ended(Result(Outcome.DIED, message=message))
        event = self._listen(worker)
        try:
            limit = min(seconds or self.limits.seconds, self.limits.seconds)
            return self._ended(await self._follow(worker, event, started, gone, limit))
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
        seconds: float,
    ) -> Result:
        limits = self.limits
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), TICK)
            if event.is_set():
                return self._collect(worker)
            elapsed = time.monotonic() - started
            stop: Result | None = None
            if elapsed > seconds:
                stop = Result(Outcome.TIMEOUT, message=f"time limit of {seconds:g} s")
            elif await gone():
                stop = Result(Outcome.CANCELLED, message="the client went away")
            elif (used := rss_mb(worker.pid)) > limits.memory_mb:
                stop = Result(Outcome.MEMORY, message=f"{used:.0f} MB > {limits.memory_mb} MB")
            elif not worker.slow and elapsed > limits.slow_after:
                stop = self._slow_down(worker)
            elif worker.slow and not worker.reniced:
                self._renice_if_computing(worker)
            if stop is not None:
                self._retire(worker)
                return stop

    def _slow_down(self, worker: _Worker) -> Result | None:
        """Mark a long task's worker slow and start a fresh one in its place. When ``spare``
        tasks are slow already: BUSY if this one has used ``slow_after`` seconds of CPU too (it
        is expensive, not merely delayed by the others), else wait for the next check."""
        lane = [w for w in self._workers if w.slow]
        if len(lane) >= self.limits.spare:
            if worker.trusted:  # it keeps its worker; the others wait for theirs
                return None
            # Every long task computes: the server is saturated, shed this one at once; else
            # shed it only once it is seen to compute too.
            computing = cpu_seconds(worker.pid) - worker.cpu > self.limits.shed_after
            if computing or all(w.reniced for w in lane):
                return Result(Outcome.BUSY, message="the server is busy with long queries")
            return None
        worker.slow = True
        worker.state = "slow"
        self._top_up()
        self._renice_if_computing(worker)
        return None

    def _renice_if_computing(self, worker: _Worker) -> None:
        """Lower the priority of a slow task that computes (has used ``shed_after`` seconds of
        CPU), not of one that was merely waiting for a core: that one would then starve."""
        if not worker.trusted and cpu_seconds(worker.pid) - worker.cpu > self.limits.shed_after:
            worker.reniced = True
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, worker.pid, 19)

    def _collect(self, worker: _Worker) -> Result:
        """The reply of a worker whose pipe is readable; recycle or release the worker."""
        worker.message = None
        try:
            _, reply, peak_mb = worker.conn.recv()
        except (EOFError, OSError, ValueError, TypeError):
            self._retire(worker)
            return Result(Outcome.DIED, message="the worker ended without an answer")
        worker.tasks += 1
        worn = worker.tasks >= self.limits.tasks or rss_mb(worker.pid) > self.limits.memory_mb
        if worker.reniced or worn or peak_mb > self.limits.memory_mb:
            self._retire(worker)
        else:
            worker.slow = False
            worker.state = "idle"
            self._release(worker)
            self._trim()
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
            with contextlib.suppress(OSError):
                os.kill(worker.pid, signal.SIGKILL)
            worker.conn.close()
        self._workers.clear()
        self._idle.clear()
        if self._control is not None:
            self._control.close()
        if self._control_conn is not None:
            self._control_conn.close()
        if self._template is not None:
            self._template.kill()
            self._template.join(5.0)

    def processes(self) -> list[int]:
        """The process ids of the live workers (for tests and the record)."""
        return [w.pid for w in self._workers if w.state != "dead"]
