"""A scripted HTTP server on loopback for the tests of crimegraph's client side: it answers each
request as a test's script says (a status, a body, pauses between the bytes, or a forward to a
real store), and keeps the requests it got."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx


@dataclass(frozen=True)
class Got:
    """A request the server got: method, path, query parameters and form or body."""

    method: str
    path: str
    params: dict[str, list[str]]
    body: bytes

    @property
    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode("utf-8", "replace"))


@dataclass(frozen=True)
class Reply:
    """What to answer: status, headers, body pieces and the pause before each piece; ``forward``
    sends the request on to that URL instead and answers what it answers."""

    status: int = 200
    body: tuple[bytes, ...] = (b"",)
    headers: tuple[tuple[str, str], ...] = ()
    pause: float = 0.0
    forward: str | None = None


Script = Callable[[int, Got], Reply]


@dataclass
class FakeStore:
    """A running scripted server: its URL and the requests it got so far."""

    url: str
    got: list[Got] = field(default_factory=list)


def _handler(store: FakeStore, script: Script) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _any(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            got = Got(self.command, parts.path, parse_qs(parts.query), body)
            store.got.append(got)
            reply = script(len(store.got), got)
            if reply.forward is not None:
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                answer = httpx.request(
                    self.command, reply.forward + (f"?{parts.query}" if parts.query else ""),
                    content=body, headers=headers, timeout=60,
                )  # fmt: skip
                reply = Reply(answer.status_code, (answer.content,))
            total = sum(len(b) for b in reply.body)
            self.send_response(reply.status)
            for name, value in reply.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(total))
            self.end_headers()
            try:
                for piece in reply.body:
                    time.sleep(reply.pause)
                    self.wfile.write(piece)
                    self.wfile.flush()
            except OSError:
                pass

        do_GET = do_POST = do_PUT = do_DELETE = _any

    return Handler


@contextlib.contextmanager
def fake_store(script: Script) -> Iterator[FakeStore]:
    """Run a scripted server on a free loopback port for the length of the ``with``."""
    store = FakeStore("")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(store, script))
    server.daemon_threads = True
    store.url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield store
    finally:
        server.shutdown()
        server.server_close()
