"""What keeps ``crimegraph serve`` answering when clients misbehave: time limits on reading a
request, a cap on the connections one client may hold open, a check of the ``Host`` header, a
slow-reader limit on sending an answer, and error text without terminal control characters.

uvicorn only times out a keep-alive connection between requests, and only until its first byte:
a client that connects and sends nothing (or a byte now and then) holds its connection for
ever, and with enough of them every other request gets 503. :func:`guarded_protocol` makes
uvicorn's HTTP/1.1 protocol (h11) close a connection whose request is not complete within
``request_seconds`` of the connection opening (or of the previous answer), and caps each client
address at ``per_client`` open connections: a client past its cap loses its oldest *idle*
connection (one not waiting for an answer), or gets 503 when none is idle.

:class:`HostCheck` refuses a request whose ``Host`` is not the address the server listens on
(DNS rebinding: a web page on a name that resolves to 127.0.0.1 would otherwise query a server
on this machine from the user's browser).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import os
import socket
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from graph.controlchars import printable


@dataclass(frozen=True)
class NetLimits:
    """How long a client may take and how many connections it may hold.

    ``request_seconds``: to send a complete request (head and body) after connecting or after
    the previous answer; ``idle_seconds``: keep-alive between requests; ``per_client``: open
    connections from one address; ``total``: open connections in all; ``send_seconds``: how
    long one chunk of an answer may wait for a client that does not read.
    """

    request_seconds: float = 10.0
    idle_seconds: float = 5.0
    per_client: int = 64
    total: int = 1024
    send_seconds: float = 30.0


DEFAULT_NET_LIMITS = NetLimits()

_BUSY_TEXT = b"too many open connections from your address\n"
_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"connection: close\r\ncontent-length: "
    + str(len(_BUSY_TEXT)).encode()
    + b"\r\n\r\n"
    + _BUSY_TEXT
)


class _GuardedH11(H11Protocol):
    """uvicorn's h11 protocol with a request deadline and a per-client connection cap."""

    limits: ClassVar[NetLimits] = DEFAULT_NET_LIMITS
    #: Open connections by client address, oldest first (shared by every connection).
    clients: ClassVar[dict[str, OrderedDict[int, _GuardedH11]]] = {}

    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        address = self.client[0] if self.client else ""
        mine = self.clients.setdefault(address, OrderedDict())
        if len(mine) >= self.limits.per_client:
            idle = next((c for c in mine.values() if c.idle()), None)
            if idle is None:
                transport.write(_BUSY)
                transport.close()
                return
            idle.transport.close()
            mine.pop(id(idle), None)
        mine[id(self)] = self
        self._arm()

    def idle(self) -> bool:
        """True while no request of this connection is being answered."""
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.limits.request_seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        """The request did not arrive in time: close, unless it is being answered."""
        self._deadline = None
        if self.conn.their_state in (h11.IDLE, h11.SEND_BODY) and not self.transport.is_closing():
            self.transport.close()

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state in (h11.DONE, h11.MUST_CLOSE, h11.CLOSED):
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        address = self.client[0] if self.client else ""
        mine = self.clients.get(address)
        if mine is not None:
            mine.pop(id(self), None)
            if not mine:
                self.clients.pop(address, None)
        super().connection_lost(exc)


def guarded_protocol(limits: NetLimits) -> type[H11Protocol]:
    """uvicorn's h11 protocol class with ``limits`` (pass it as ``uvicorn.Config(http=…)``)."""
    return type("GuardedH11", (_GuardedH11,), {"limits": limits, "clients": {}})


# --- the Host header ----------------------------------------------------------------------------


def allowed_hosts(bound: str, extra: Iterable[str] = ()) -> frozenset[str] | None:
    """The host names a request may name for a server bound to ``bound``; None: any.

    Loopback answers to ``localhost`` and its addresses; a wildcard address (0.0.0.0, ::) to
    any IP address and this machine's names; ``extra`` adds names (``*`` allows every name).

    >>> sorted(allowed_hosts("127.0.0.1"))
    ['127.0.0.1', '::1', 'localhost']
    """
    names = {h.strip().lower().strip("[]") for h in extra if h.strip()}
    if "*" in names:
        return None
    host = bound.strip("[]").lower()
    names.add(host)
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if host == "localhost" or (address is not None and address.is_loopback):
        names.update({"localhost", "127.0.0.1", "::1"})
    if address is not None and address.is_unspecified:
        names.update({"localhost", socket.gethostname().lower(), socket.getfqdn().lower()})
        names.add("*ip")  # any address literal
    return frozenset(names)


def host_allowed(header: str, allowed: frozenset[str] | None) -> bool:
    """Whether a ``Host`` header names an allowed host (the port is not checked).

    >>> host_allowed("localhost:8000", allowed_hosts("127.0.0.1"))
    True
    >>> host_allowed("evil.example:8000", allowed_hosts("127.0.0.1"))
    False
    """
    if allowed is None:
        return True
    name = header.strip().lower()
    if name.startswith("["):
        name = name[1 : name.find("]")] if "]" in name else name
    elif name.count(":") == 1:
        name = name.split(":", 1)[0]
    if name in allowed:
        return True
    if "*ip" in allowed:
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True
    return False


class HostCheck:
    """ASGI middleware: 421 for a request whose Host header names no allowed host."""

    def __init__(self, app: Any, allowed: frozenset[str] | None):
        self.app, self.allowed = app, allowed

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or [])
            host = headers.get(b"host", b"").decode("latin-1")
            if not host_allowed(host, self.allowed):
                message = printable(
                    f"Host {host!r} is not this server's address "
                    "(start serve with --allow-host NAME to answer to that name)"
                )
                body = (message + "\n").encode("utf-8")
                await send(
                    {
                        "type": "http.response.start",
                        "status": 421,
                        "headers": [
                            (b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


# --- sending a large answer ---------------------------------------------------------------------

CHUNK = 64 * 1024


class SpooledResponse:
    """An ASGI response that streams a file in chunks and deletes it afterwards; a client that
    does not take a chunk within ``send_seconds`` loses its connection."""

    def __init__(
        self,
        path: str,
        size: int,
        media_type: str,
        headers: dict[str, str],
        send_seconds: float,
    ):
        self.path, self.size, self.media_type = path, size, media_type
        self.headers, self.send_seconds = headers, send_seconds

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        headers = [
            (b"content-type", self.media_type.encode("latin-1")),
            (b"content-length", str(self.size).encode()),
            *((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in self.headers.items()),
        ]
        try:
            with open(self.path, "rb") as fh:
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                while True:
                    chunk = fh.read(CHUNK)
                    more = len(chunk) == CHUNK
                    message = {"type": "http.response.body", "body": chunk, "more_body": more}
                    try:
                        await asyncio.wait_for(send(message), self.send_seconds)
                    except TimeoutError:
                        return  # uvicorn closes a connection whose answer is incomplete
                    if not more:
                        return
        finally:
            with contextlib.suppress(OSError):
                os.unlink(self.path)
