"""Which documents a build reads, and the name each one has in the graph.

A document's name is its identity: its IRI (``cgi:document/<name>``), its ``cg:fileName``, the
key flow files and corrections use. Inside ``data/`` it is the path under the bundled folder
(:func:`graph.documents.document_name`); elsewhere it is the path relative to the folder given
to ``build`` (or to the fixed part of a glob), so that ``2015/zi_zimbabwe.txt`` and
``2021/zi_zimbabwe.txt`` are two documents and the name does not depend on the working
directory. Files named one by one are known by their file name; two inputs that still share a
name get a hash of their text appended (``report.txt#3f2a9c1e``), and two identical texts a
counter, so no two documents ever merge.

>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> for year in ("2015", "2021"):
...     (root / year).mkdir()
...     _ = (root / year / "zi_zimbabwe.txt").write_text(year)
>>> [d.name for d in named_inputs([str(root)])]
['2015/zi_zimbabwe.txt', '2021/zi_zimbabwe.txt']
>>> [d.name[:13] for d in named_inputs([str(root / "2015" / "zi_zimbabwe.txt"),
...                                     str(root / "2021" / "zi_zimbabwe.txt")])]
['zi_zimbabwe.t', 'zi_zimbabwe.t']
>>> len({d.name for d in named_inputs([str(root / "2015/zi_zimbabwe.txt"),
...                                    str(root / "2021/zi_zimbabwe.txt")])})
2
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from graph.errors import CrimegraphError

_MAGIC = "*?["


@dataclass(frozen=True)
class NamedInput:
    """A document to read and its name in the graph."""

    path: Path
    name: str


def _bundled(path: Path) -> str | None:
    """The data-relative name of a bundled document, None outside ``data/``."""
    from graph.documents import DATA_DIR, DOCUMENT_ROOTS

    resolved = path.resolve()
    for root in DOCUMENT_ROOTS:
        base = (DATA_DIR / root).resolve()
        if resolved.is_relative_to(base):
            return resolved.relative_to(base).as_posix()
    return None


def _name(path: Path, base: Path | None) -> str:
    bundled = _bundled(path)
    if bundled is not None:
        return bundled
    if base is not None:
        return path.relative_to(base).as_posix()
    return path.name


def _glob(item: str) -> tuple[Path, list[Path]]:
    """The fixed folder a glob starts from and the files it matches."""
    p = Path(item)
    parts = p.parts
    fixed = next((i for i, part in enumerate(parts) if any(c in part for c in _MAGIC)), len(parts))
    base = Path(*parts[:fixed]) if fixed else Path()
    pattern = str(Path(*parts[fixed:]))
    matches = sorted(m for m in base.glob(pattern) if m.is_file())
    if not matches:
        raise CrimegraphError(f"{item}: no file matches")
    return base, matches


def _unique(inputs: list[NamedInput]) -> list[NamedInput]:
    """The inputs with every name made unique: a text hash, then a counter, where names clash."""
    count: dict[str, int] = {}
    for doc in inputs:
        count[doc.name] = count.get(doc.name, 0) + 1
    out: list[NamedInput] = []
    taken: set[str] = {name for name, n in count.items() if n == 1}
    for doc in inputs:
        if count[doc.name] == 1:
            out.append(doc)
            continue
        try:
            if str(doc.path) == "-":
                raise OSError("standard input")
            digest = hashlib.sha256(doc.path.read_bytes()).hexdigest()[:8]
        except OSError:
            digest = hashlib.sha256(str(doc.path).encode()).hexdigest()[:8]
        name, n = f"{doc.name}#{digest}", 1
        while name in taken:
            n += 1
            name = f"{doc.name}#{digest}-{n}"
        taken.add(name)
        out.append(NamedInput(doc.path, name))
    return out


#: The folder of a build that holds the text read from each document not read as plain text.
TEXTS_DIR = "texts"


def text_copy_name(name: str) -> str:
    """Where a build keeps the text read from the document ``name``, relative to its folder.

    >>> text_copy_name("reports/kazakhstan.pdf")
    'texts/reports/kazakhstan.pdf.txt'
    >>> text_copy_name("../x.html")
    'texts/x.html.txt'
    """
    parts = [part for part in PurePosixPath(name).parts if part not in ("/", "..", ".")]
    return "/".join([TEXTS_DIR, *parts[:-1], f"{parts[-1] if parts else 'document'}.txt"])


def _in_folder(folder: Path) -> list[Path]:
    """Every file under ``folder`` with an extension a folder is searched for, sorted."""
    from graph.ingest import folder_extensions

    wanted = set(folder_extensions())
    return sorted(q for q in folder.rglob("*") if q.suffix.lower() in wanted and q.is_file())


def named_inputs(items: list[str]) -> list[NamedInput]:
    """Files named directly, every document under a folder (``.txt``, ``.pdf``, ``.html``,
    ``.htm``, ``.docx``: :func:`graph.ingest.folder_extensions`), and glob matches, in order,
    each once, with unique names (see the module's description). ``-`` is standard input."""
    from graph.ingest import STDIN, STDIN_NAME

    found: list[NamedInput] = []
    for item in items:
        p = Path(item)
        if item == STDIN:
            found.append(NamedInput(p, STDIN_NAME))
        elif p.is_dir():
            found += [NamedInput(q, _name(q, p)) for q in _in_folder(p)]
        elif any(c in item for c in _MAGIC):
            base, matches = _glob(item)
            found += [NamedInput(m, _name(m, base)) for m in matches]
        else:
            found.append(NamedInput(p, _name(p, None)))
    seen: dict[Path, NamedInput] = {}
    for doc in found:
        seen.setdefault(doc.path, doc)
    return _unique(list(seen.values()))
