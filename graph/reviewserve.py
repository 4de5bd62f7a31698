"""``crimegraph review --serve``: the review page from a local server that saves the corrections
file straight into the corrections folder, instead of the browser's downloads.

One document, one reviewer, this machine only: the server listens on 127.0.0.1, answers only
under a random path (a page elsewhere cannot guess where to post), refuses a ``Host`` that is not
its own address (DNS rebinding), and writes only a valid corrections file of its document, to one
name in the folder, atomically. Every GET renders the page anew from the folder, so a reload
shows what was saved.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from graph.corrections import CorrectionIndex, corrections_in, parse_corrections
from graph.digests import text_digest
from graph.errors import CrimegraphError
from graph.fileio import atomic_write, ensure_writable_dir
from graph.httpguard import allowed_hosts, host_allowed
from graph.records import Document, Flow
from graph.review import download_name, render_review

#: The largest corrections file the server takes.
MAX_BODY = 8 * 1024 * 1024


@dataclass
class ReviewSite:
    """What the server serves: one document's flows, and the folder its corrections go to."""

    document: Document
    flows: list[Flow]
    folder: Path
    token: str = field(default_factory=lambda: secrets.token_urlsafe(18))

    @property
    def target(self) -> Path:
        return self.folder / download_name(self.document.name)

    def page(self) -> str:
        """The page, with the decisions saved in the folder so far."""
        files = corrections_in(self.folder)
        previous = CorrectionIndex(files).for_document(self.document)
        html, _ = render_review(self.document, self.flows, previous, save_url="save")
        return html

    def save(self, body: bytes) -> Path:
        """Check a posted corrections file and write it into the folder."""
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CrimegraphError(f"not a JSON corrections file ({exc})") from exc
        checked = parse_corrections(data, download_name(self.document.name))
        if checked.text_digest != text_digest(self.document.text):
            raise CrimegraphError("these corrections are for another text than the one served")
        with atomic_write(self.target) as fh:
            fh.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return self.target


def _handler(site: ReviewSite, hosts: frozenset[str] | None) -> type[BaseHTTPRequestHandler]:
    base = f"/{site.token}/"

    class Handler(BaseHTTPRequestHandler):
        server_version = "crimegraph-review"

        def _answer(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _refuse(self, status: int, text: str) -> None:
            self._answer(status, (text + "\n").encode(), "text/plain; charset=utf-8")

        def _checked(self) -> bool:
            if not host_allowed(self.headers.get("Host", ""), hosts):
                self._refuse(421, "this server answers only to its own address")
                return False
            return True

        def do_GET(self) -> None:
            if not self._checked():
                return
            if self.path.split("?", 1)[0] != base:
                self._refuse(404, "not found")
                return
            try:
                page = site.page()
            except CrimegraphError as exc:
                self._refuse(500, str(exc))
                return
            self._answer(200, page.encode("utf-8"), "text/html; charset=utf-8")

        def do_POST(self) -> None:
            if not self._checked():
                return
            if self.path != base + "save":
                self._refuse(404, "not found")
                return
            if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
                self._refuse(415, "send the corrections file as application/json")
                return
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                self._refuse(411, "a Content-Length is needed")
                return
            if not 0 < length <= MAX_BODY:
                self._refuse(413, f"a corrections file is at most {MAX_BODY} bytes")
                return
            try:
                written = site.save(self.rfile.read(length))
            except CrimegraphError as exc:
                self._refuse(400, str(exc))
                return
            body = json.dumps({"saved": str(written)}).encode()
            self._answer(200, body, "application/json")

        def log_message(self, format: str, *args: Any) -> None:  # quiet: one user, one page
            return

    return Handler


@dataclass
class RunningSite:
    """A started review server: its URL, and how to stop it."""

    server: ThreadingHTTPServer
    url: str
    thread: threading.Thread | None = None

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start(site: ReviewSite, *, port: int = 0, background: bool = True) -> RunningSite:
    """Listen on 127.0.0.1:``port`` (0: any free port); serve in a thread when ``background``,
    else the caller runs ``server.serve_forever()``."""
    ensure_writable_dir(site.folder)
    handler = _handler(site, allowed_hosts("127.0.0.1"))
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise CrimegraphError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror or exc})") from exc
    running = RunningSite(server, f"http://127.0.0.1:{server.server_address[1]}/{site.token}/")
    if background:
        running.thread = threading.Thread(target=server.serve_forever, daemon=True)
        running.thread.start()
    return running


def serve_review(
    path: str | os.PathLike[str], folder: str | os.PathLike[str], *, port: int = 0
) -> tuple[ReviewSite, RunningSite]:
    """Read a document and its flows, and start serving its review page (not yet looping)."""
    from graph.documents import load_document
    from graph.extract import extract_document

    loaded = load_document(path)
    flows = list(extract_document(loaded.document, loaded.profile).flows)
    site = ReviewSite(loaded.document, flows, Path(folder))
    return site, start(site, port=port, background=False)
