"""A disk cache of extracted flows, so rebuilding a corpus re-extracts only what changed.

An entry is keyed by everything extraction reads: the document's text, kind and subject, and a
fingerprint of the extractor (its code, the lexicon, the reference data). A renamed or copied
document hits the same entry (the record is re-labelled with its new name); an edited document,
or any change to the extractor, misses. Entries are JSON files of ``spec/flows.md`` records,
written atomically; an unreadable entry is a miss, and a cache that cannot be written is skipped.

>>> import tempfile
>>> from graph.records import Document, DocumentFlows
>>> cache = RecordCache(Path(tempfile.mkdtemp()), "v1")
>>> doc = Document("a.txt", "report", "Kazakhstan\\n\\ntransit point for heroin", subject="KAZ")
>>> cache.get(doc) is None
True
>>> cache.put(doc, DocumentFlows("a.txt", "KAZ", []))
True
>>> cache.get(Document("copy.txt", "report", doc.text, subject="KAZ")).document
'copy.txt'
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from graph.errors import CrimegraphError
from graph.fileio import atomic_write
from graph.records import Document, DocumentFlows

_PACKAGE = Path(__file__).resolve().parent
_DATA = _PACKAGE.parent / "data"

#: What extraction depends on besides the document: its code and the data files it reads.
EXTRACTOR_INPUTS: tuple[tuple[Path, str], ...] = (
    (_PACKAGE / "extract", "*.py"),
    (_PACKAGE, "places.py"),
    (_PACKAGE, "localities.py"),
    (_PACKAGE, "documents.py"),
    (_PACKAGE, "profile.py"),
    (_PACKAGE, "records.py"),
    (_DATA / "lexicon", "*"),
    (_DATA / "reference", "*.csv"),
)


def default_cache_dir() -> Path:
    """``$CRIMEGRAPH_CACHE``, else ``$XDG_CACHE_HOME/crimegraph``, else ``~/.cache/crimegraph``."""
    if os.environ.get("CRIMEGRAPH_CACHE"):
        return Path(os.environ["CRIMEGRAPH_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "crimegraph"


def _files(inputs: Iterable[tuple[Path, str]]) -> list[Path]:
    return sorted(p for folder, pattern in inputs for p in folder.glob(pattern) if p.is_file())


def extractor_fingerprint(extractor: Callable[..., object]) -> str:
    """A hash of the extractor's name and of every file in :data:`EXTRACTOR_INPUTS`."""
    name = getattr(extractor, "__qualname__", type(extractor).__qualname__)
    digest = hashlib.sha256(f"{extractor.__module__}.{name}".encode())
    for path in _files(EXTRACTOR_INPUTS):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class RecordCache:
    """Extracted flows by content, under ``directory/records/<fingerprint>/``."""

    directory: Path
    fingerprint: str

    def key(self, doc: Document) -> str:
        """The entry key of a document: a hash of its kind, subject and text."""
        blob = json.dumps([doc.kind, doc.subject, doc.text], ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()

    def path(self, doc: Document) -> Path:
        key = self.key(doc)
        return self.directory / "records" / self.fingerprint / key[:2] / f"{key}.json"

    def get(self, doc: Document) -> DocumentFlows | None:
        """The cached flows of ``doc``, named after it; None when there is no usable entry."""
        from graph.flowshape import shape_problem

        try:
            data = json.loads(self.path(doc).read_text(encoding="utf-8"))
            if shape_problem(data) is not None:  # written by someone else: a miss
                return None
            flows = DocumentFlows.from_dict(data)
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None
        return DocumentFlows(doc.name, doc.subject, flows.flows)

    def put(self, doc: Document, flows: DocumentFlows) -> bool:
        """Store the flows of ``doc``; False when the cache cannot be written."""
        try:
            with atomic_write(self.path(doc)) as fh:
                json.dump(flows.to_dict(), fh, ensure_ascii=False)
        except (OSError, CrimegraphError):
            return False
        return True
