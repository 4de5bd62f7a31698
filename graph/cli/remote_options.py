"""The options ``push`` and ``query --endpoint`` share: how long to wait for a remote store and
how often to retry it (see :mod:`graph.transport`)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from graph.errors import CrimegraphError

if TYPE_CHECKING:
    from graph.remote import Endpoint


def declare(p: argparse.ArgumentParser, total: float, what: str) -> None:
    """Add ``--timeout`` (the total of ``what``), ``--connect-timeout``, ``--read-timeout`` and
    ``--retries`` to a sub-command's parser."""
    from graph.timing import DEFAULT_TIMING as T

    p.add_argument(
        "--timeout",
        type=float,
        default=total,
        metavar="SECONDS",
        help=f"give up when {what} takes longer than this in all (default {total:g})",
    )
    p.add_argument(
        "--connect-timeout",
        type=float,
        default=T.connect,
        metavar="SECONDS",
        help=f"how long to wait for a connection (default {T.connect:g})",
    )
    p.add_argument(
        "--read-timeout",
        type=float,
        default=T.read,
        metavar="SECONDS",
        help=f"how long the server may send nothing (default {T.read:g})",
    )
    p.add_argument(
        "--retries",
        type=int,
        default=T.retries,
        metavar="N",
        help=f"retries of a refused connection or a 502/503/504 answer (default {T.retries})",
    )


def endpoint(
    args: argparse.Namespace, url: str, user: str | None = None, password: str | None = None
) -> Endpoint:
    """The :class:`~graph.remote.Endpoint` at ``url`` with the timing the options give."""
    from graph.remote import Endpoint
    from graph.timing import DEFAULT_TIMING, Timing

    for option in ("timeout", "connect_timeout", "read_timeout"):
        if not getattr(args, option) > 0:
            raise CrimegraphError(f"--{option.replace('_', '-')} must be positive")
    if args.retries < 0:
        raise CrimegraphError("--retries must be 0 or more")
    timing = Timing(
        args.connect_timeout, args.read_timeout, args.timeout, args.retries,
        DEFAULT_TIMING.max_bytes,
    )  # fmt: skip
    return Endpoint(url, user, password, timeout=args.timeout, timing=timing)
