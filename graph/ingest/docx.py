"""Word (``.docx``): the body's paragraphs and table cells in document order, read with
python-docx; headers, footers and comments are left out, as page furniture.

A zip archive without ``word/document.xml`` is not a Word document; an OLE file (``.doc``, or a
``.docx`` encrypted with a password) cannot be read; an archive that would unpack to more than
:data:`MAX_UNPACKED_BYTES` is refused before it is unpacked.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from graph.errors import CrimegraphError
from graph.ingest.registry import Reader, Sniff

MAX_DOCX_BYTES = 50 * 1024 * 1024
#: What the archive may unpack to, all parts together (a zip bomb is refused).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024

MAIN_PART = "word/document.xml"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(head: bytes) -> Sniff:
    """A zip archive (every .docx is one) or an OLE file (an old or encrypted Word file)."""
    return Sniff.STRONG if head.startswith((_ZIP, _OLE)) else Sniff.NO


def _check_archive(data: bytes, label: str) -> None:
    """Refuse what python-docx should not be handed: not a zip, no main part, too big inside."""
    if data.startswith(_OLE):
        raise CrimegraphError(
            f"{label}: a Word 97-2003 (.doc) or password-protected Word file; "
            "save it as an unprotected .docx"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise CrimegraphError(
            f"{label}: damaged zip archive, not a Word document ({exc})"
        ) from None
    if MAIN_PART not in {e.filename for e in entries}:
        raise CrimegraphError(f"{label}: zip archive without {MAIN_PART}, not a Word document")
    unpacked = sum(e.file_size for e in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        raise CrimegraphError(
            f"{label}: unpacks to {unpacked / 1e6:.0f} MB, more than the "
            f"{MAX_UNPACKED_BYTES / 1e6:.0f} MB limit"
        )


def _blocks(document: Any) -> list[str]:
    """Paragraph texts in order, each table cell's paragraphs in row order (merged cells once)."""
    from docx.table import Table

    out: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    out += [p.text for p in cell.paragraphs]
        else:
            out.append(block.text)
    return out


def read(data: bytes, label: str) -> str:
    """The text of a Word document's body, paragraphs separated by blank lines."""
    _check_archive(data, label)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        blocks = _blocks(document)
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise CrimegraphError(f"{label}: not a readable Word document ({exc})") from None
    except Exception as exc:  # malformed XML inside the archive (lxml's own errors)
        if type(exc).__module__.startswith("lxml"):
            raise CrimegraphError(f"{label}: damaged Word document ({exc})") from None
        raise
    text = "\n\n".join(b.strip() for b in blocks if b.strip())
    if not text:
        raise CrimegraphError(f"{label}: Word document with no text")
    return text


READER = Reader(
    name="docx",
    extensions=(".docx",),
    max_bytes=MAX_DOCX_BYTES,
    sniff=sniff,
    read=read,
    folder_extensions=(".docx",),
)
