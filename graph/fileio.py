"""Reading documents safely and writing outputs atomically (temporary file, then rename)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from graph.errors import CrimegraphError

#: Documents larger than this are refused rather than read into memory.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def document_path(path: str | os.PathLike[str]) -> Path:
    """``path`` as a Path; one line for a file that is missing or is a directory."""
    p = Path(path)
    if not p.exists():
        raise CrimegraphError(f"{p}: no such file")
    if p.is_dir():
        raise CrimegraphError(f"{p}: is a directory, not a document")
    return p


def read_document(path: str | os.PathLike[str], max_bytes: int = MAX_DOCUMENT_BYTES) -> str:
    """Return the text of a document decoded as UTF-8, line endings as stored.

    Raises :class:`CrimegraphError` for a missing, unreadable, empty, binary,
    non-UTF-8 or oversized file, so callers never see a raw traceback.
    """
    p = document_path(path)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise CrimegraphError(
                f"{p}: {size / 1e6:.1f} MB is larger than the {max_bytes / 1e6:.0f} MB limit"
            )
        data = p.read_bytes()
    except OSError as exc:
        raise CrimegraphError(f"{p}: cannot read ({exc.strerror or exc})") from exc
    return decode_text(data, str(p))


def decode_text(data: bytes, label: str) -> str:
    """The UTF-8 text of ``data`` (a byte-order mark dropped); ``label`` names it in errors.

    Raises :class:`CrimegraphError` for empty, binary, UTF-16 or non-UTF-8 data.
    """
    if not data.strip():
        raise CrimegraphError(f"{label}: empty document")
    if is_utf16(data):
        raise CrimegraphError(f"{label}: UTF-16 text, not UTF-8 (save it as UTF-8 and try again)")
    if b"\x00" in data[:8192]:
        raise CrimegraphError(f"{label}: binary file, not a text document")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CrimegraphError(
            f"{label}: not UTF-8 text (invalid byte at offset {exc.start})"
        ) from exc
    if text.startswith("\ufeff"):
        # A byte-order mark is not part of the text; spans count from after it.
        text = text[1:]
    return text


def is_utf16(data: bytes) -> bool:
    """True for UTF-16 text: a byte-order mark, or a NUL in every other byte of the start (the
    high bytes of plain-ASCII text) with no NUL in the others."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = data[: min(len(data), 512) // 2 * 2]
    if len(head) < 8:
        return False
    even, odd = head[0::2], head[1::2]
    return (odd.count(0) == len(odd) and 0 not in even) or (
        even.count(0) == len(even) and 0 not in odd
    )


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8"
) -> Iterator[IO[str]]:
    """Open a temporary file beside ``path`` and rename it over ``path`` only on success.

    A failure while writing leaves no partial file behind.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise CrimegraphError(f"{target}: cannot write ({exc.strerror or exc})") from exc
    try:
        enc = None if "b" in mode else encoding
        with os.fdopen(fd, mode, encoding=enc) as handle:
            yield handle
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def ensure_writable_dir(path: str | os.PathLike[str]) -> Path:
    """Create ``path`` if needed and check that files can be written in it."""
    d = Path(path)
    if d.exists() and not d.is_dir():
        raise CrimegraphError(f"{d}: exists and is not a directory")
    try:
        d.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".probe.", dir=d)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise CrimegraphError(
            f"{d}: output directory is not writable ({exc.strerror or exc})"
        ) from exc
    return d
