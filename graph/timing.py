"""How long to wait for a remote store and how often to retry it: the plain settings of
:mod:`graph.transport`, apart from it so that declaring the command-line options of ``query``
and ``push`` does not import httpx (40–60 ms of every command's start)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    """How long to wait and how often to retry: seconds to connect, seconds for each read, the
    total seconds of the operation, the retries of a transient failure, the largest answer."""

    connect: float = 10.0
    read: float = 60.0
    total: float = 300.0
    retries: int = 2
    max_bytes: int = 1024 * 2**20


#: The timing of ``query --endpoint`` and ``push`` unless told otherwise.
DEFAULT_TIMING = Timing()
