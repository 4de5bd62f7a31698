"""A time limit for a command-line query: one line and exit 3 when it is exceeded.

Oxigraph evaluates a query in native code and releases the interpreter while it does, and
rdflib yields it between bytecodes, so a timer thread can always fire; it cannot, however,
interrupt the evaluation itself. For a one-shot command that is what is wanted: the process
says why it stops and ends at once, having written nothing (results are printed only once
complete). Long-running processes (``serve``) use their worker pool's limits instead.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator

#: The exit status of a command stopped by its time limit.
EXIT_TIME_LIMIT = 3


def _stop(seconds: float, what: str, option: str) -> None:
    sys.stderr.write(
        f"crimegraph: error: {what} stopped after {seconds:g} s (raise the limit with {option})\n"
    )
    sys.stderr.flush()
    os._exit(EXIT_TIME_LIMIT)


@contextlib.contextmanager
def time_limit(seconds: float | None, what: str, option: str = "--time-limit") -> Iterator[None]:
    """End the process with one line on stderr if the block runs longer than ``seconds``
    (no limit for None or 0)."""
    if not seconds:
        yield
        return
    timer = threading.Timer(seconds, _stop, (seconds, what, option))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
