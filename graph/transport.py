"""HTTP requests to a remote store that cannot hang: connect and read time limits per request, a
total time limit for the whole operation (one query, or a whole push), a cap on the bytes of an
answer, and a bounded number of retries of transient failures.

httpx's timeouts apply to each network operation: a server that trickles one byte every couple
of seconds never trips a read timeout. Here each read waits at most what is left of the total,
and the answer is read in chunks with the clock checked between them.

Transient failures are a refused or reset connection, and 502, 503 and 504 answers, except a
503 that says the query hit the server's own time limit (``X-Time-Limit``, as ``crimegraph
serve`` sends): asking again would only hit it again. A request that changes the store is
retried only when it is safe to send twice (``idempotent``).
"""

from __future__ import annotations

import time
from collections.abc import Mapping

import httpx

from graph.errors import CrimegraphError
from graph.timing import DEFAULT_TIMING, Timing

__all__ = ["DEFAULT_TIMING", "TRANSIENT", "Deadline", "Timing", "request"]

#: Answers worth asking again after a pause.
TRANSIENT = frozenset({502, 503, 504})


class Deadline:
    """The end of an operation's total time limit."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self, url: str) -> float:
        """Seconds left; CrimegraphError once none are."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise CrimegraphError(
                f"{url}: no complete answer within the time limit of {self.seconds:g} s (--timeout)"
            )
        return left


def _timeout(timing: Timing, left: float) -> httpx.Timeout:
    return httpx.Timeout(
        connect=min(timing.connect, left),
        read=min(timing.read, left),
        write=min(timing.read, left),
        pool=min(timing.connect, left),
    )


def _read(
    client: httpx.Client,
    method: str,
    url: str,
    timing: Timing,
    deadline: Deadline,
    kwargs: Mapping[str, object],
) -> httpx.Response:
    """One request, its answer read in full within the deadline and the byte cap."""
    left = deadline.remaining(url)
    timeout = _timeout(timing, left)
    with client.stream(method, url, timeout=timeout, **kwargs) as response:  # type: ignore[arg-type]
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > timing.max_bytes:
                limit = f"{timing.max_bytes:,}"
                raise CrimegraphError(f"{url}: the answer is larger than {limit} bytes")
            chunks.append(chunk)
            deadline.remaining(url)
        dropped = {"content-encoding", "content-length", "transfer-encoding"}
        headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in dropped]
        return httpx.Response(
            response.status_code,
            headers=headers,
            content=b"".join(chunks),
            request=response.request,
        )


def _transient(response: httpx.Response) -> bool:
    return response.status_code in TRANSIENT and "x-time-limit" not in response.headers


def request(
    client: httpx.Client,
    method: str,
    url: str,
    timing: Timing,
    deadline: Deadline,
    *,
    idempotent: bool = True,
    **kwargs: object,
) -> httpx.Response:
    """Send a request and read its answer within ``deadline``, retrying transient failures up
    to ``timing.retries`` times (a non-idempotent request only when it cannot have arrived:
    the connection was refused). The answer may be any status; CrimegraphError (one line) when
    the server cannot be reached or does not answer in time."""
    attempt = 0
    while True:
        try:
            response = _read(client, method, url, timing, deadline, kwargs)
        except httpx.TimeoutException as exc:
            connecting = isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout)
            if connecting and attempt < timing.retries:
                attempt += 1
                continue
            if deadline.end - time.monotonic() <= 0.05:
                deadline.remaining(url)  # the total ran out: say so
            if connecting:
                message = f"cannot connect within {timing.connect:g} s (--connect-timeout)"
            else:
                message = f"no data for {timing.read:g} s (--read-timeout)"
            raise CrimegraphError(f"{url}: {message}") from exc
        except httpx.ConnectError as exc:
            if attempt < timing.retries:
                attempt += 1
                _pause(attempt, deadline, url)
                continue
            raise CrimegraphError(f"cannot reach {url} ({type(exc).__name__}: {exc})") from exc
        except httpx.HTTPError as exc:
            if idempotent and attempt < timing.retries:
                attempt += 1
                _pause(attempt, deadline, url)
                continue
            raise CrimegraphError(f"cannot reach {url} ({type(exc).__name__}: {exc})") from exc
        if idempotent and _transient(response) and attempt < timing.retries:
            attempt += 1
            _pause(attempt, deadline, url, response.headers.get("retry-after"))
            continue
        return response


def _pause(attempt: int, deadline: Deadline, url: str, retry_after: str | None = None) -> None:
    """Wait before a retry: 0.5 s, 1 s, 2 s… or what Retry-After asks (at most 10 s), never
    past the deadline."""
    wait = min(0.5 * 2 ** (attempt - 1), 10.0)
    if retry_after and retry_after.strip().isdigit():
        wait = min(float(retry_after), 10.0)
    time.sleep(max(0.0, min(wait, deadline.remaining(url) - 0.1)))
