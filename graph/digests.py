"""Content digests that name what was read: a source file's bytes and the text extracted from it.

Corrections are keyed by the text digest, so they survive a document being moved or renamed but
are reported when the text itself changes.
"""

from __future__ import annotations

import hashlib


def text_digest(text: str) -> str:
    """The SHA-256 (hex) of ``text`` encoded as UTF-8.

    >>> text_digest("heroin")[:12]
    'ee6f01a92dd8'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def bytes_digest(data: bytes) -> str:
    """The SHA-256 (hex) of a source file's bytes."""
    return hashlib.sha256(data).hexdigest()
