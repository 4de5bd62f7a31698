"""The worker pool on its own: tasks answered, workers killed at a limit or when the caller goes
away and replaced, recycled after so many tasks or past their memory limit."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from graph.errors import CrimegraphError
from graph.workerpool import Outcome, PoolLimits, Result, WorkerPool

HERE = "tests.test_workerpool"


def setup(argument: str) -> tuple[str, int]:
    """Worker setup: the state is the argument; a setup that fails says so."""
    if argument == "fail":
        raise CrimegraphError("cannot load this")
    return argument, 42


def handle(state: str, request: tuple[str, float]) -> tuple[int, str]:
    """Worker task: sleep, burn CPU, grow, or die, as the request says; answer the pid."""
    what, amount = request
    if what == "sleep":
        time.sleep(amount)
    elif what == "spin":
        end = time.process_time() + amount
        while time.process_time() < end:
            pass
    elif what == "grow":
        ballast = bytearray(int(amount) * 2**20)
        ballast[::4096] = b"x" * len(ballast[::4096])
    elif what == "die":
        os._exit(3)
    return os.getpid(), state


async def _never() -> bool:
    return False


def run(
    pool: WorkerPool,
    requests: list[tuple[str, float]],
    gone: Callable[[], Awaitable[bool]] = _never,
) -> list[Result]:
    async def all_of() -> list[Result]:
        return [await pool.run(r, gone) for r in requests]

    return asyncio.run(all_of())


def make(**limits: Any) -> WorkerPool:
    pool = WorkerPool(f"{HERE}.setup", f"{HERE}.handle", "state", PoolLimits(**limits))
    assert pool.start(60) == 42
    return pool


def test_tasks_are_answered_by_the_same_workers_until_they_are_worn() -> None:
    pool = make(workers=1, tasks=3)
    try:
        results = run(pool, [("sleep", 0)] * 7)
    finally:
        pool.close()
    assert all(r.outcome is Outcome.DONE and r.reply[1] == "state" for r in results)
    pids = [r.reply[0] for r in results]
    assert pids[0] == pids[1] == pids[2] != pids[3] == pids[4] == pids[5] != pids[6]


@pytest.mark.parametrize(
    ("request_", "limits", "outcome"),
    [
        (("sleep", 5.0), {"seconds": 0.5}, Outcome.TIMEOUT),
        (("grow", 400.0), {"memory_mb": 150, "seconds": 20}, Outcome.MEMORY),
        (("die", 0.0), {}, Outcome.DIED),
    ],
    ids=["time limit", "memory limit", "worker dies"],
)
def test_a_task_past_a_limit_is_stopped_and_its_worker_replaced(
    request_: tuple[str, float], limits: dict[str, Any], outcome: Outcome
) -> None:
    pool = make(workers=1, **limits)
    try:
        first, after = run(pool, [request_, ("sleep", 0)])
        assert first.outcome is outcome
        assert after.outcome is Outcome.DONE
        assert pool.processes() == [after.reply[0]]
    finally:
        pool.close()


def test_a_worker_that_grew_past_its_memory_is_recycled_after_answering() -> None:
    pool = make(workers=1, memory_mb=150, seconds=20)
    try:
        # 120 MB of ballast freed before answering: the peak passed the limit, the answer is
        # good, and the worker is not used again.
        grown, after = run(pool, [("grow", 160.0), ("sleep", 0)])
    finally:
        pool.close()
    assert grown.outcome in (Outcome.DONE, Outcome.MEMORY)
    assert after.outcome is Outcome.DONE
    if grown.outcome is Outcome.DONE:
        assert grown.reply[0] != after.reply[0]


def test_a_task_whose_caller_goes_away_is_stopped() -> None:
    pool = make(workers=1, seconds=30)
    calls = 0

    async def gone_after_a_while() -> bool:
        nonlocal calls
        calls += 1
        return calls > 5

    try:
        started = time.monotonic()
        (stopped,) = run(pool, [("sleep", 20.0)], gone_after_a_while)
        assert stopped.outcome is Outcome.CANCELLED
        assert time.monotonic() - started < 5
    finally:
        pool.close()


def test_long_tasks_get_a_worker_of_their_own_and_do_not_hold_the_others() -> None:
    pool = make(workers=1, spare=1, slow_after=0.1, seconds=10)

    async def both() -> tuple[Result, Result, float]:
        slow = asyncio.ensure_future(pool.run(("sleep", 2.0), _never))
        await asyncio.sleep(0.5)  # it is slow by now: a fresh worker took its place
        started = time.monotonic()
        quick = await pool.run(("sleep", 0), _never)
        waited = time.monotonic() - started
        return await slow, quick, waited

    try:
        slow, quick, waited = asyncio.run(both())
    finally:
        pool.close()
    assert slow.outcome is Outcome.DONE and quick.outcome is Outcome.DONE
    assert waited < 1.0 and slow.reply[0] != quick.reply[0]


@pytest.mark.parametrize(("trusted", "outcome"), [(False, Outcome.BUSY), (True, Outcome.DONE)])
def test_past_the_spare_lane_a_computing_task_is_shed_unless_trusted(
    trusted: bool, outcome: Outcome
) -> None:
    pool = make(workers=1, spare=1, slow_after=0.1, shed_after=0.1, seconds=20)

    async def both() -> tuple[Result, Result]:
        first = asyncio.ensure_future(pool.run(("sleep", 1.5), _never))
        await asyncio.sleep(0.4)  # the first is slow by now and fills the lane
        second = await pool.run(("spin", 0.6), _never, trusted=trusted)
        return await first, second

    try:
        first, second = asyncio.run(both())
    finally:
        pool.close()
    assert first.outcome is Outcome.DONE
    assert second.outcome is outcome


def test_a_setup_that_fails_is_one_line() -> None:
    pool = WorkerPool(f"{HERE}.setup", f"{HERE}.handle", "fail", PoolLimits(workers=1))
    with pytest.raises(CrimegraphError, match="cannot load this"):
        pool.start(60)
    pool.close()
