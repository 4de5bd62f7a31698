"""The persistent store of a build: ``out/store`` (Oxigraph on RocksDB) and ``out/build.json``.

``crimegraph build`` bulk-loads the ``graph.nt`` it wrote into an on-disk Oxigraph store and
records, in ``build.json``, the store format version, the versions that wrote it, the triple
count and the size of every file, so that a reader can tell a complete store from a truncated or
foreign one with a few ``stat`` calls, before opening it. Every read command
(``query``, ``routes``, ``neighbours``, ``draw``, ``serve``) opens that store read-only, which
takes milliseconds, instead of parsing the graph again.

A store that is missing, damaged, or from another version is never used: the reader says so in
one line on stderr and loads ``graph.nt`` into an in-memory Oxigraph store instead (``build``
again to get the fast path back). Only when ``graph.nt`` is unusable too does it fail, in one
line. This module imports pyoxigraph only: opening a build costs no rdflib import.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph import iris
from graph.builddir import ReadLock
from graph.errors import CrimegraphError
from graph.fileio import is_utf16

#: The layout of ``build.json`` and ``store/``; a reader refuses any other (2: the graph holds
#: the summaries of graph/summary.py; 3: and the destination and actor summaries; 4: and the
#: flow summaries).
STORE_VERSION = 4

#: What ``build.json`` says it describes.
BUILD_FORMAT = "crimegraph-build"

#: Files of a RocksDB folder that change on their own and are not checked by size.
_UNCHECKED = ("LOG", "LOCK")

#: Graph files Oxigraph reads, by suffix: (format, whether it holds named graphs).
GRAPH_FORMATS: dict[str, tuple[ox.RdfFormat, bool]] = {
    ".nt": (ox.RdfFormat.N_TRIPLES, False),
    ".ttl": (ox.RdfFormat.TURTLE, False),
    ".jsonld": (ox.RdfFormat.JSON_LD, False),
    ".json": (ox.RdfFormat.JSON_LD, False),
    ".rdf": (ox.RdfFormat.RDF_XML, False),
    ".owl": (ox.RdfFormat.RDF_XML, False),
    ".xml": (ox.RdfFormat.RDF_XML, False),
    ".trig": (ox.RdfFormat.TRIG, True),
    ".nq": (ox.RdfFormat.N_QUADS, True),
}


def _versions() -> dict[str, str]:
    from graph import __version__

    return {"crimegraph": __version__, "pyoxigraph": ox.__version__}


def _file_sizes(folder: Path) -> dict[str, int]:
    return {
        p.name: p.stat().st_size
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(_UNCHECKED)
    }


def write_store(build_dir: Path, counts: dict[str, int] | None = None) -> Path:
    """Bulk-load ``build_dir/graph.nt`` into ``build_dir/store`` and write ``build.json``.

    Meant for a staging folder (:func:`graph.builddir.staged_build`): nothing here is atomic on
    its own, the swap of the whole folder is.
    """
    nt = build_dir / "graph.nt"
    folder = build_dir / "store"
    try:
        store = ox.Store(str(folder))
        store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        store.flush()
        # compact what the bulk load left in many files: at 100× the bundled graph a join of
        # 189,200 rows took 16–25 s before and 2.1 s after (docs/performance.md)
        store.optimize()
        triples = len(store)
        del store  # closes RocksDB, so that the sizes below are final
    except OSError as exc:
        raise CrimegraphError(f"{folder}: cannot write the store ({exc})") from exc
    record = {
        "format": BUILD_FORMAT,
        "version": STORE_VERSION,
        **_versions(),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "triples": triples,
        "counts": counts or {},
        "files": _file_sizes(build_dir),
        "store": _file_sizes(folder),
    }
    (build_dir / "build.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return folder


@dataclass
class OpenGraph:
    """A graph opened for reading: its Oxigraph store and where it came from.

    ``store`` is read-only when it is a build's persistent store; ``source`` names it for
    messages. ``union`` says that queries must read all named graphs (a TriG or N-Quads file).
    Keep the object alive while querying: it holds the build directory's read lock.
    """

    store: ox.Store
    source: str
    persistent: bool
    union: bool = False
    lock: ReadLock | None = field(default=None, repr=False)

    def close(self) -> None:
        """Let a build replace the directory (the store itself closes when dropped)."""
        if self.lock is not None:
            self.lock.release()


def _warn(message: str) -> None:
    print(f"crimegraph: note: {message}", file=sys.stderr)


def _read_record(build_dir: Path) -> dict[str, Any] | str:
    """``build.json`` as a dict, or why it cannot be used."""
    path = build_dir / "build.json"
    if not path.exists():
        return "it has no build.json (built by an older crimegraph, or not by build)"
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"its build.json is unreadable ({type(exc).__name__})"
    if not isinstance(record, dict) or record.get("format") != BUILD_FORMAT:
        return "its build.json is not a crimegraph build record"
    if record.get("version") != STORE_VERSION:
        return f"its store has format version {record.get('version')!r}, not {STORE_VERSION}"
    if record.get("pyoxigraph") != ox.__version__:
        return (
            f"its store was written by pyoxigraph {record.get('pyoxigraph')}, not {ox.__version__}"
        )
    for key in ("files", "store"):
        sizes = record.get(key)
        if not isinstance(sizes, dict) or not all(isinstance(v, int) for v in sizes.values()):
            return f"its build.json has no valid {key!r} table"
    return record


def _damage(folder: Path, expected: dict[str, int]) -> str | None:
    """Why the files of ``folder`` differ from ``expected`` (name → size), or None."""
    for name, size in expected.items():
        path = folder / name
        try:
            actual = path.stat().st_size
        except OSError:
            return f"{name} is missing"
        if actual != size:
            return f"{name} has {actual} bytes instead of {size}"
    return None


def store_problem(build_dir: Path) -> str | None:
    """Why the persistent store of ``build_dir`` must not be used, or None when it is sound."""
    record = _read_record(build_dir)
    if isinstance(record, str):
        return record
    if not (build_dir / "store").is_dir():
        return "its store folder is missing"
    expected_store: dict[str, int] = record["store"]
    problem = _damage(build_dir / "store", expected_store)
    if problem:
        return f"its store is damaged ({problem})"
    return None


def load_file(path: Path) -> OpenGraph:
    """A graph file parsed into an in-memory Oxigraph store; one-line errors for bad files."""
    if not path.exists():
        raise CrimegraphError(f"{path}: no such file")
    fmt = GRAPH_FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(GRAPH_FORMATS))
        raise CrimegraphError(f"{path}: unknown graph format '{path.suffix}' (known: {known})")
    try:
        if path.stat().st_size == 0:
            raise CrimegraphError(f"{path}: empty file")
        with path.open("rb") as fh:
            head = fh.read(8192)
        if is_utf16(head):
            raise CrimegraphError(f"{path}: UTF-16 text, not UTF-8 (save it as UTF-8)")
        if b"\x00" in head:
            raise CrimegraphError(f"{path}: binary file, not a graph")
        store = ox.Store()
        if fmt[1]:
            store.bulk_load(path=str(path), format=fmt[0])
        else:
            store.bulk_load(path=str(path), format=fmt[0], to_graph=ox.DefaultGraph())
    except (OSError, SyntaxError, ValueError, UnicodeError) as exc:
        first = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise CrimegraphError(f"{path}: not a valid graph file ({first})") from exc
    if not fmt[1]:
        _add_missing_summaries(store)
    return OpenGraph(store, str(path), persistent=False, union=fmt[1])


_HAS_FLOWS = f"ASK {{ ?flow a <{iris.CG}Flow> }}"
#: Summaries of every kind the graph can have: a graph summarised before the newest kinds (actor,
#: destination, flow) were added gets every kind again (the same triples for the kinds it has).
_HAS_SUMMARIES = f"""ASK {{
  ?s a <{iris.CG}MarketSummary> .
  FILTER(NOT EXISTS {{ ?f <{iris.CG}actor> ?a }} || EXISTS {{ ?t a <{iris.CG}ActorSummary> }})
  FILTER(NOT EXISTS {{ ?g <{iris.CG}destination> ?d }}
         || EXISTS {{ ?u a <{iris.CG}DestinationSummary> }})
  FILTER(EXISTS {{ ?v a <{iris.CG}FlowSummary> }})
}}"""


def _add_missing_summaries(store: ox.Store) -> None:
    """A graph written before build counted summaries, or by hand, gets them in memory, so that
    the canned queries that read them answer as on a new build (docs/summaries.md)."""
    if not bool(store.query(_HAS_FLOWS)) or bool(store.query(_HAS_SUMMARIES)):
        return
    from graph.summary import summary_triples  # rdflib: only for such older graphs

    default = ox.DefaultGraph()
    store.extend(
        [ox.Quad(t.subject, t.predicate, t.object, default) for t in summary_triples(store)]
    )


def open_graph(path: str | os.PathLike[str], warn: Callable[[str], None] = _warn) -> OpenGraph:
    """A build directory's persistent store (read-only), or a graph file in memory.

    A build directory whose store cannot be used is read from its ``graph.nt`` instead, after
    one line to ``warn`` saying why.
    """
    p = Path(path)
    if not p.is_dir():
        return load_file(p)
    lock = ReadLock(p).acquire()
    try:
        problem = store_problem(p)
        if problem is None:
            try:
                store = ox.Store.read_only(str(p / "store"))
            except OSError as exc:
                problem = f"its store cannot be opened ({' '.join(str(exc).split())[:120]})"
            else:
                return OpenGraph(store, str(p / "store"), persistent=True, lock=lock)
        return _fallback(p, problem, lock, warn)
    except BaseException:
        lock.release()
        raise


def _fallback(p: Path, problem: str, lock: ReadLock, warn: Callable[[str], None]) -> OpenGraph:
    """The graph file of a build directory whose store is unusable, loaded into memory."""
    for name in ("graph.nt", "graph.ttl", "graph.jsonld"):
        if (p / name).is_file():
            break
    else:
        raise CrimegraphError(
            f"{p}: no store, graph.nt, graph.ttl or graph.jsonld in this directory"
        )
    record = _read_record(p)
    if isinstance(record, dict):
        expected = record["files"].get(name)
        size = (p / name).stat().st_size
        if expected is not None and size != expected:
            raise CrimegraphError(
                f"{p}: {problem}, and {name} has {size} bytes instead of {expected}; build again"
            )
    warn(f"{p}: {problem}; reading {name} instead (build again for fast answers)")
    graph = load_file(p / name)
    graph.lock = lock
    return graph
