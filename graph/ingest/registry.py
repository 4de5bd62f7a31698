"""Which reader turns a file's bytes into text: one module per format, chosen by content and name.

Each module named in :data:`MODULES` declares its format as ``READER``, as each command module
of :mod:`graph.cli` declares ``COMMAND``; the next format is one more module and one more name
here. A reader is chosen by what the bytes say first (``%PDF``, a zip holding
``word/document.xml``, ``<!DOCTYPE html>``), then by the file's extension, then by weaker signs
in the content (a ``<body>`` tag); plain text is the fallback.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from functools import cache


class Sniff(IntEnum):
    """How surely a file's first bytes belong to a format."""

    NO = 0
    #: A sign, but one a text file could also show (an HTML tag in a ``.txt``).
    WEAK = 1
    #: A signature no other format has (``%PDF-``, ``PK\\x03\\x04``); it wins over the extension.
    STRONG = 2


@dataclass(frozen=True)
class Reader:
    """A document format: how to recognise it and how to read its text."""

    name: str
    #: File extensions of the format, lower case with the dot (".pdf").
    extensions: tuple[str, ...]
    #: Files larger than this are refused before they are parsed.
    max_bytes: int
    #: How surely the first bytes (:data:`HEAD_BYTES` of them) are of this format.
    sniff: Callable[[bytes], Sniff]
    #: The text of a whole file; ``label`` names the file in a :class:`CrimegraphError`.
    read: Callable[[bytes, str], str]
    #: The extensions a folder given to ``build`` is searched for (a subset of ``extensions``).
    folder_extensions: tuple[str, ...] = ()


#: The format modules of this package, in the order their signatures are tried; text is last.
MODULES: tuple[str, ...] = ("pdf", "docx", "html", "text")

#: How many bytes of a file are looked at to recognise its format.
HEAD_BYTES = 4096


@cache
def readers() -> tuple[Reader, ...]:
    """The registered readers, in the order of :data:`MODULES`."""
    return tuple(importlib.import_module(f"graph.ingest.{m}").READER for m in MODULES)


def reader_named(name: str) -> Reader:
    """The reader of the format called ``name`` ("pdf")."""
    for reader in readers():
        if reader.name == name:
            return reader
    raise KeyError(name)


def choose(head: bytes, suffix: str) -> Reader:
    """The reader for a file that starts with ``head`` and has the extension ``suffix``.

    >>> choose(b"%PDF-1.7", ".txt").name
    'pdf'
    >>> choose(b"<p>heroin</p>", ".txt").name
    'text'
    >>> choose(b"<p>heroin</p>", "").name
    'html'
    """
    suffix = suffix.lower()
    found = [(reader, reader.sniff(head)) for reader in readers()]
    for reader, sniff in found:
        if sniff is Sniff.STRONG:
            return reader
    for reader, _ in found:
        if suffix in reader.extensions:
            return reader
    for reader, sniff in found:
        if sniff is Sniff.WEAK:
            return reader
    return readers()[-1]


def folder_extensions() -> tuple[str, ...]:
    """Every extension a folder is searched for, in registry order."""
    return tuple(ext for reader in readers() for ext in reader.folder_extensions)
