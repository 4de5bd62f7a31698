"""Plain text (``.txt``, ``.md``): UTF-8 as :func:`graph.fileio.decode_text` reads it, the
format every file that no other reader claims falls back to."""

from __future__ import annotations

from graph.fileio import MAX_DOCUMENT_BYTES, decode_text
from graph.ingest.registry import Reader, Sniff


def sniff(head: bytes) -> Sniff:
    """Text has no signature: it is what is left."""
    return Sniff.NO


READER = Reader(
    name="text",
    extensions=(".txt", ".md", ".text", ".markdown"),
    max_bytes=MAX_DOCUMENT_BYTES,
    sniff=sniff,
    read=decode_text,
    # Markdown files in a folder are usually its README, not a report: read when named.
    folder_extensions=(".txt",),
)
