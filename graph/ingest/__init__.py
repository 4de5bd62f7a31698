"""Documents in any supported format → the text the extractor reads.

``read_source(path)`` picks a reader from :mod:`graph.ingest.registry` (PDF, Word, HTML, plain
text), checks the file's size against that format's limit before parsing it, and returns the
text with the SHA-256 of the source bytes, so that what was read can be traced to its file.
``-`` stands for standard input, whose format is recognised by its content.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from graph.digests import bytes_digest, text_digest
from graph.errors import CrimegraphError
from graph.fileio import document_path
from graph.ingest.registry import HEAD_BYTES, Reader, choose, folder_extensions, readers

__all__ = [
    "STDIN",
    "STDIN_NAME",
    "Extracted",
    "folder_extensions",
    "read_bytes",
    "read_source",
    "spool_stdin",
]

#: The argument that stands for standard input, and the name a document read from it goes by.
STDIN = "-"
STDIN_NAME = "stdin"


@dataclass(frozen=True)
class Extracted:
    """The text read from one source, the format it was read as, and the source's digest."""

    text: str
    format: str
    #: SHA-256 (hex) of the source's bytes.
    source_digest: str

    @property
    def text_digest(self) -> str:
        """SHA-256 (hex) of the text, as UTF-8."""
        return text_digest(self.text)


def _too_large(label: str, size: int, reader: Reader) -> CrimegraphError:
    return CrimegraphError(
        f"{label}: {size / 1e6:.1f} MB is larger than the {reader.max_bytes / 1e6:.0f} MB "
        f"limit for {reader.name} documents"
    )


def read_bytes(data: bytes, label: str, suffix: str = "") -> Extracted:
    """Read a document held in memory (``suffix``: its file extension, if it has a name)."""
    reader = choose(data[:HEAD_BYTES], suffix)
    if len(data) > reader.max_bytes:
        raise _too_large(label, len(data), reader)
    return Extracted(reader.read(data, label), reader.name, bytes_digest(data))


def _read_stream(stream: BinaryIO, label: str) -> bytes:
    """All of ``stream``, but never more than the largest format's limit (and one byte)."""
    limit = max(r.max_bytes for r in readers())
    try:
        data = stream.read(limit + 1)
    except OSError as exc:
        raise CrimegraphError(f"{label}: cannot read ({exc.strerror or exc})") from exc
    if len(data) > limit:
        raise CrimegraphError(f"{label}: larger than the {limit / 1e6:.0f} MB limit")
    return data


def read_source(source: str | os.PathLike[str], stdin: BinaryIO | None = None) -> Extracted:
    """Read the document at ``source`` (``-``: standard input, or ``stdin`` when given).

    The format's size limit is checked before the file is read whole or parsed; every failure
    is one :class:`CrimegraphError` line.
    """
    if str(source) == STDIN:
        stream = stdin if stdin is not None else sys.stdin.buffer
        return read_bytes(_read_stream(stream, STDIN_NAME), STDIN_NAME)
    p = document_path(source)
    try:
        with p.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
            size = os.fstat(fh.fileno()).st_size
            reader = choose(head, p.suffix)
            if size > reader.max_bytes:
                raise _too_large(str(p), size, reader)
            data = head + fh.read(reader.max_bytes + 1 - len(head))
    except OSError as exc:
        raise CrimegraphError(f"{p}: cannot read ({exc.strerror or exc})") from exc
    if len(data) > reader.max_bytes:  # it grew while being read
        raise _too_large(str(p), len(data), reader)
    return Extracted(reader.read(data, str(p)), reader.name, bytes_digest(data))


def spool_stdin(directory: str | os.PathLike[str], stdin: BinaryIO | None = None) -> Path:
    """Copy standard input into ``directory/stdin`` (for readers in other processes); its path."""
    stream = stdin if stdin is not None else sys.stdin.buffer
    data = _read_stream(stream, STDIN_NAME)
    target = Path(directory) / STDIN_NAME
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise CrimegraphError(f"{target}: cannot write ({exc.strerror or exc})") from exc
    return target
